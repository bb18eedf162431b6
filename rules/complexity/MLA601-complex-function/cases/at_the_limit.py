"""Complexity 10 is the limit itself (radon rank B): not reported."""


def bucket(value):
    if value < 0:
        return "negative"
    if value == 0:
        return "zero"
    if value < 10:
        return "small"
    if value < 100:
        return "medium"
    if value < 1_000:
        return "large"
    if value < 10_000:
        return "huge"
    if value < 100_000:
        return "giant"
    if value < 1_000_000:
        return "enormous"
    if value < 10_000_000:
        return "colossal"
    return "astronomical"
