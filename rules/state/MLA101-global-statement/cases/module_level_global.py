"""A `global` statement at module level rebinds nothing from a function (it is a no-op)."""

global THRESHOLD
THRESHOLD = 0.5


def above(score):
    return score > THRESHOLD
