"""A first-party function that shadows a builtin is not the builtin."""


def open(name):  # noqa: A001
    return {"name": name}


CONNECTION = open("warehouse")
