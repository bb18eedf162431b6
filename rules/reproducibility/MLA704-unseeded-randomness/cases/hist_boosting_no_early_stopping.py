"""A histogram gradient boosting with early stopping switched off and every feature considered at every
split: its seed has nothing to draw (only the binning of a data set above 200,000 rows samples rows)."""

from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor


def models():
    return [
        HistGradientBoostingRegressor(max_iter=50, early_stopping=False),
        HistGradientBoostingClassifier(early_stopping=False, max_features=1.0),
    ]
