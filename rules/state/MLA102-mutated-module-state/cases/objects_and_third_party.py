"""Instance and class attributes, and state of third-party modules, are not this rule's concern."""

import os
import sys


class Scorer:
    cache = {}

    def __init__(self):
        self.history = []

    def score(self, key, value):
        self.history.append(value)
        self.cache[key] = value
        Scorer.cache.setdefault(key, value)
        return value


def configure(path):
    sys.path.append(path)
    os.environ["MLAUDIT_EXAMPLE"] = "1"
