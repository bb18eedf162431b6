from notebooks.helpers import engagement_score  # expect: MLA403
from notebooks.plots import risk_band  # the same cause (serve depends on notebooks/): in the finding's `related`


def score(model, frame):
    scored = frame.assign(engagement=engagement_score(frame))
    return risk_band(model.predict(scored))
