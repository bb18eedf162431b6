from churn.cleaning import CleaningSettings, clean


def request_frame(raw, settings: CleaningSettings):
    return clean(raw, settings)
