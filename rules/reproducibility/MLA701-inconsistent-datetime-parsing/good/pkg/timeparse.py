import pandas as pd


def parse_signup(frame: pd.DataFrame) -> pd.DataFrame:
    """The one place that turns `signup_at` into instants: always UTC, always ISO 8601."""
    return frame.assign(signup_at=pd.to_datetime(frame["signup_at"], utc=True, format="ISO8601"))
