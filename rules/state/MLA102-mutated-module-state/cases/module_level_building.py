"""Mutations at module level build a constant once, at import time."""

from collections import defaultdict

COLUMNS_BY_TYPE = defaultdict(list)
for column, dtype in [("age", "int"), ("income", "float"), ("city", "str")]:
    COLUMNS_BY_TYPE[dtype].append(column)

DEFAULTS = {"fill": 0.0}
DEFAULTS.update(clip=(0.0, 1.0))

LOOKUP = {}


def _populate():
    for i, name in enumerate(["low", "mid", "high"]):
        LOOKUP[name] = i


_populate()  # called once, at import time


class Buckets:
    EDGES = []
    EDGES.extend([0, 10, 100])  # class bodies run once too
