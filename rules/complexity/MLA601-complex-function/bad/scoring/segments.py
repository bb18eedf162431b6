def assign_segment(row):  # expect: MLA601
    if row["plan"] == "enterprise":
        return "key-account"
    if row["plan"] == "pro" and row["seats"] > 50:
        return "key-account"
    if row["plan"] == "pro":
        if row["sessions"] > 20 or row["invited"] > 3:
            return "growth"
        return "pro"
    if row["trial_days_left"] is not None and row["trial_days_left"] < 3:
        return "trial-ending"
    for flag in ("churn_risk", "payment_failed"):
        if row.get(flag):
            return "at-risk"
    if row["country"] in ("US", "CA") and row["sessions"] > 5:
        return "engaged-na"
    return "other"


def is_active(row):
    return row["sessions"] > 0
