"""Scoring: takes a fitted model and a feature frame, nothing else."""

import pandas as pd

BANDS = [-1, 0.2, 0.5, 0.8, 1.01]


def score(model, frame, columns):
    scores = model.predict_proba(frame[columns])[:, 1]
    result = frame[["user_id"]].assign(score=scores)
    return result.assign(band=pd.cut(result["score"], BANDS))
