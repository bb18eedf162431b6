"""Feature transforms; they read their bounds from the settings module."""

from mlproj.config import CLIP_MAX

FEATURE_COLUMNS = ["age", "income", "sessions"]


def clip_sessions(df):
    return df.assign(sessions=df["sessions"].clip(upper=CLIP_MAX))
