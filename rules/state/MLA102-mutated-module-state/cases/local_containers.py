"""Locals, parameters and loop variables that share a global's name are not module state."""

CACHE = {}
SEEN = []
ROWS = []


def fill(CACHE, key, value):  # a parameter shadows the global
    CACHE[key] = value
    return CACHE


def collect(items):
    SEEN = []  # a local shadows the global
    for item in items:
        SEEN.append(item)
    return SEEN


def batches(groups):
    out = []
    for ROWS in groups:  # a loop variable shadows the global
        ROWS.sort()
        out.append(ROWS)
    return out


def firsts(groups):
    return [ROWS.pop(0) for ROWS in groups]  # a comprehension variable shadows it too


def counter():
    counts = {}

    def bump(key):
        counts[key] = counts.get(key, 0) + 1  # the enclosing function's local, not module state
        return counts[key]

    return bump


def read_only(key):
    return CACHE.get(key), len(SEEN), list(ROWS)
