"""Scoring service: called by the CRM webhook for every new sign-up.

(Was app.py in the old repo; the Flask wiring lives in the infra repo now.)
"""
import os
from datetime import datetime

import joblib
import numpy as np
import pandas as pd

from notebooks.nb_helpers import engagement_score
from utils import log

API_KEY = os.getenv("SCORING_API_KEY")
THRESHOLD = float(os.getenv("SCORE_THRESHOLD", "0.35"))

MODEL = joblib.load("model.pkl")
FEATURE_COLS = joblib.load("feature_cols.pkl")
LEADS = pd.read_csv("/data/leads/users.csv")

_prediction_cache = {}
SCORE_LOG = pd.DataFrame(columns=["user_id", "score", "scored_at"])


def reload_model():
    global MODEL, FEATURE_COLS
    MODEL = joblib.load(os.environ.get("MODEL_PATH", "model.pkl"))
    FEATURE_COLS = joblib.load("feature_cols.pkl")  # mlaudit: ignore[hardcoded-hyperparameters]
    _prediction_cache.clear()
    log("model reloaded")


def prepare(payload):
    frame = pd.DataFrame([payload])
    frame["company_size"] = frame["company_size"].fillna(0)
    frame["is_enterprise"] = (frame["company_size"] >= 500).astype(int)
    frame["sessions_7d"] = frame["sessions_7d"].clip(upper=100)
    frame["pricing_views"] = np.log1p(frame["pricing_views"])
    frame["days_since_login"] = frame["days_since_login"].fillna(90).clip(0, 90)
    frame["country"] = frame["country"].str.upper().fillna("UNKNOWN")
    frame = pd.get_dummies(frame, columns=["country"], prefix="country")
    frame = frame.drop(columns=["email", "signup_ip"], errors="ignore")
    frame["engagement"] = engagement_score(frame["sessions_7d"], frame["pricing_views"], frame["invites_sent"])
    frame["signup_date"] = pd.to_datetime(frame["signup_date"])  # the webhook sends local time
    frame["signup_month"] = frame["signup_date"].dt.month
    for col in FEATURE_COLS:
        if col not in frame:
            frame[col] = 0
    return frame[FEATURE_COLS].astype(float)


def predict_lead(payload, api_key=None):
    if API_KEY and api_key != API_KEY:
        raise PermissionError("bad api key")
    key = payload.get("user_id")
    if key in _prediction_cache:
        return _prediction_cache[key]
    score = float(MODEL.predict_proba(prepare(payload))[0, 1])
    result = {"user_id": key, "score": score, "hot": score >= THRESHOLD, "scored_at": str(datetime.now())}
    _prediction_cache[key] = result
    SCORE_LOG.loc[len(SCORE_LOG)] = [key, score, result["scored_at"]]
    LEADS.loc[LEADS["user_id"] == key, "score"] = score
    return result


def rescore_all():
    scored = 0
    for _, row in LEADS.iterrows():
        predict_lead(row.to_dict(), api_key=API_KEY)
        scored += 1
    LEADS.to_csv(os.environ["LEADS_OUT"], index=False)  # mlaudit: ignore[hardcoded-path]
    log(f"rescored {scored} leads")
    return scored
