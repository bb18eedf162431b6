"""The helper the service needs, moved into the package (and tested there)."""


def engagement_score(frame):
    return frame["sessions"] / (1 + frame["days_since_login"])
