"""Date windows built from parameters, date keys that add a column, and splits without a literal date."""
import pandas as pd
from sklearn.model_selection import train_test_split

TRAIN_START = "2009-01-01"  # a named constant, reviewed like configuration
TRAIN_END = "2018-01-01"


def window(sales, start, end, data_split):
    wide = sales[pd.date_range(start, end)]
    train = data_split(wide, TRAIN_START, TRAIN_END)
    return wide, train


def add_scraped_days(frame, scraped):
    frame[pd.Timestamp("2017-09-10")] = scraped["2017-09-10"]
    return frame


def forecast_frame(predictions):
    return pd.DataFrame(predictions, columns=pd.date_range("2017-08-16", periods=16))


def holdout(features, target, seed):
    return train_test_split(features, target, test_size=0.2, random_state=seed)


def parts(stamp: str):
    return stamp.split("-")
