"""The service re-implements the cleaning instead of calling train.preprocess."""


def prepare(frame):
    frame = frame.drop_duplicates(subset=["user_id"])  # expect: MLA501
    frame = frame[frame["country"].notna()]
    frame["sessions"] = frame["sessions"].clip(0, 50)
    frame["days_since_login"] = frame["days_since_login"].fillna(30)
    frame["plan"] = frame["plan"].str.lower().str.strip()
    frame["is_paid"] = (frame["plan"] != "free").astype(int)
    frame["log_sessions"] = frame["sessions"].apply(lambda s: 0 if s <= 0 else s ** 0.5)
    return frame


def score(model, request_frame):
    return model.predict_proba(prepare(request_frame)[["sessions", "is_paid"]])[:, 1]
