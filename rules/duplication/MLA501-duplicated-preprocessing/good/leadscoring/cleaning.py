"""The one cleaning function, used by training, serving and the notebook alike."""


def clean_leads(df, *, max_sessions, missing_login_days):
    df = df.drop_duplicates(subset=["user_id"])
    df = df[df["country"].notna()]
    df = df.assign(
        sessions=df["sessions"].clip(0, max_sessions),
        days_since_login=df["days_since_login"].fillna(missing_login_days),
        plan=df["plan"].str.lower().str.strip(),
    )
    return df.assign(is_paid=(df["plan"] != "free").astype(int))
