from sklearn.linear_model import LogisticRegression

from leadscoring.cleaning import clean_leads


def train(frame, settings):
    data = clean_leads(frame, max_sessions=settings.max_sessions, missing_login_days=settings.missing_login_days)
    return LogisticRegression().fit(data[["sessions", "is_paid"]], data["converted"])
