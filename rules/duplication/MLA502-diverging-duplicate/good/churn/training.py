from churn.cleaning import CleaningSettings, clean


def training_frame(raw, settings: CleaningSettings):
    return clean(raw, settings)
