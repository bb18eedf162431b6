from notebooks.helpers import engagement_score  # expect: MLA403


def score(model, frame):
    return model.predict(frame.assign(engagement=engagement_score(frame)))
