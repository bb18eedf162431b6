from leadscoring.cleaning import clean_leads


def score(model, request_frame, settings):
    data = clean_leads(
        request_frame, max_sessions=settings.max_sessions, missing_login_days=settings.missing_login_days
    )
    return model.predict_proba(data[["sessions", "is_paid"]])[:, 1]
