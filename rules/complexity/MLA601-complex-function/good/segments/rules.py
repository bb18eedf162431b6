"""The same decision as a table of small, separately testable predicates, checked in order."""

KEY_ACCOUNT, GROWTH, PRO, TRIAL_ENDING, AT_RISK, OTHER = (
    "key-account", "growth", "pro", "trial-ending", "at-risk", "other"
)


def _is_key_account(row):
    return row["plan"] == "enterprise" or (row["plan"] == "pro" and row["seats"] > 50)


def _is_growth(row):
    return row["plan"] == "pro" and (row["sessions"] > 20 or row["invited"] > 3)


def _is_trial_ending(row):
    days = row["trial_days_left"]
    return days is not None and days < 3


def _is_at_risk(row):
    return bool(row.get("churn_risk") or row.get("payment_failed"))


RULES = (
    (_is_key_account, KEY_ACCOUNT),
    (_is_growth, GROWTH),
    (lambda row: row["plan"] == "pro", PRO),
    (_is_trial_ending, TRIAL_ENDING),
    (_is_at_risk, AT_RISK),
)


def assign_segment(row):
    return next((segment for matches, segment in RULES if matches(row)), OTHER)
