"""Experiments may import production code: that is the right direction."""

from scoring.features import engagement_score


def summarize(frame):
    return engagement_score(frame).describe()
