"""Estimators and splitters whose result does not depend on a seed in this shape."""
import xgboost as xgb
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit, train_test_split
from sklearn.tree import DecisionTreeClassifier


def models():
    return [
        LogisticRegression(max_iter=1000),
        LinearRegression(),
        DecisionTreeClassifier(max_depth=3),
        GradientBoostingClassifier(n_estimators=100),
        xgb.XGBClassifier(n_estimators=300),  # xgboost's default seed is a fixed 0
    ]


def splits(frame):
    head, tail = train_test_split(frame, test_size=0.2, shuffle=False)
    return head, tail, KFold(5), StratifiedKFold(n_splits=5), TimeSeriesSplit(5)
