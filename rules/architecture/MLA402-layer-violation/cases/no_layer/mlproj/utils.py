"""utils.py has no layer role: it may import anything, and anything may import it."""

from mlproj.train import TARGET


def describe():
    return f"predicting {TARGET}"
