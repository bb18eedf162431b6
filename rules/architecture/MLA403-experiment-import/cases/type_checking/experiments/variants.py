class Variant:
    name = "b"
