"""Tuples, frozensets, strings and names rebound to immutable values cannot be mutated."""

import pandas as pd

LABELS = ("negative", "positive")
STOP_WORDS = frozenset({"a", "an", "the"})
PREFIX = "feat_"
ORDER = ["b", "a"]
ORDER = tuple(sorted(ORDER))  # rebound to an immutable value
THRESHOLDS = [0.2, 0.8]
THRESHOLDS = None if PREFIX else THRESHOLDS  # rebound to something that is not a list literal
BASELINE = pd.DataFrame({"x": [1.0, 2.0]})


def encode(label):
    return LABELS.index(label)


def clean(words):
    return [w.replace(PREFIX, "") for w in words if w not in STOP_WORDS.union({"of"})]


def position(name):
    return ORDER.index(name)


def shifted():
    # DataFrame methods without inplace=True return new frames
    return BASELINE.add(1).drop(columns=["x"]).sort_values("x")
