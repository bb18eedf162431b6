from scoring.features import engagement_score


def score(model, frame):
    return model.predict(frame.assign(engagement=engagement_score(frame)))
