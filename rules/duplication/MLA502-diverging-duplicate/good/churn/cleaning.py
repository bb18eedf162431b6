"""One cleaning function; training and serving pass the same settings object."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CleaningSettings:
    max_sessions: int = 50
    missing_login_days: int = 30


def clean(df, settings: CleaningSettings):
    df = df.drop_duplicates(subset=["user_id"])
    df = df[df["country"].notna()]
    return df.assign(
        sessions=df["sessions"].clip(0, settings.max_sessions),
        days_since_login=df["days_since_login"].fillna(settings.missing_login_days),
        is_paid=(df["plan"].str.lower().str.strip() != "free").astype(int),
    )
