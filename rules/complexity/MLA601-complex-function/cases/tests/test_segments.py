"""Tests are not checked: a table-driven test may branch a lot."""


def test_every_plan(rows):
    for row in rows:
        if row["plan"] == "enterprise":
            assert row["segment"] == "key-account"
        elif row["plan"] == "pro" and row["seats"] > 50:
            assert row["segment"] == "key-account"
        elif row["plan"] == "pro":
            assert row["segment"] in ("growth", "pro")
        elif row["trial_days_left"] is not None and row["trial_days_left"] < 3:
            assert row["segment"] == "trial-ending"
        elif row.get("churn_risk") or row.get("payment_failed"):
            assert row["segment"] == "at-risk"
        elif row["country"] in ("US", "CA") and row["sessions"] > 5:
            assert row["segment"] == "engaged-na"
        else:
            assert row["segment"] == "other"
