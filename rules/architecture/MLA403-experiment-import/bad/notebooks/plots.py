"""Written for the exploration notebook's charts."""


def risk_band(scores):
    return ["high" if s > 0.8 else "low" for s in scores]
