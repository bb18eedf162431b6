"""Nested functions inherit transform-ness from where they are defined, not from their own name."""


def run_pipeline(paths):
    def read_all():
        return [open(p).read() for p in paths]

    return read_all()
