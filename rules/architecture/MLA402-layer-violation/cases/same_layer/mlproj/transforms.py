"""transforms.py is in the features layer too: imports within a layer are fine."""

from mlproj.features import ratio


def add_ratio(frame):
    return frame.assign(ratio=ratio(frame))
