"""Model definitions (logreg baseline + the GBM we tried in Q3)."""
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

MODEL_FEATURES = [
    "company_size",
    "is_enterprise",
    "sessions_7d",
    "days_since_login",
    "pricing_views",
    "invites_sent",
    "engagement",
]

LEARNING_RATE = 0.1
N_ESTIMATORS = 300


def make_model(kind="logreg"):
    if kind == "gbm":
        return GradientBoostingClassifier(
            learning_rate=LEARNING_RATE, n_estimators=N_ESTIMATORS, max_depth=3, subsample=0.8
        )
    # C=0.5 works better than the default on the March data
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=1000))
