def prepare(frame):
    frame = frame.drop_duplicates(subset=["user_id"])
    frame = frame[frame["country"].notna()]
    frame["sessions"] = frame["sessions"].clip(0, 100)  # expect: MLA502
    frame["days_since_login"] = frame["days_since_login"].fillna(90)
    frame["plan"] = frame["plan"].str.lower().str.strip()
    frame["is_paid"] = (frame["plan"] != "free").astype(int)
    return frame
