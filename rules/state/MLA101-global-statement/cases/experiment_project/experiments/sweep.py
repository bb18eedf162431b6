"""Experiment scripts are exploratory: MLA101 applies to production code only."""

best = None


def consider(candidate, score):
    global best
    if best is None or score > best[1]:
        best = (candidate, score)
