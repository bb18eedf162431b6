"""Written for the exploration notebook."""


def engagement_score(frame):
    return frame["sessions"] / (1 + frame["days_since_login"])
