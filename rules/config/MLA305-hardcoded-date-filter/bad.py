from datetime import datetime

import numpy as np
import pandas as pd


def load_training_rows(path):
    users = pd.read_csv(path, parse_dates=["signup_at"])
    users = users[users["signup_at"] >= "2023-01-01"]  # expect: MLA305
    return users[users.signup_at < pd.Timestamp("2024-06-30")]


def split_by_time(events):
    train = events[events["ts"].between("2022-01-01", "2023-12-31")]  # expect: MLA305
    test = events.query("ts >= '2024-01-01'")
    return train, test


def recent(frame):
    return frame.loc["2023-07-01":]  # expect: MLA305


def active_accounts(accounts):
    return accounts[accounts.last_seen.dt.date > datetime(2023, 3, 1).date()]  # expect: MLA305


def clip_history(frame):
    return frame[frame.index >= np.datetime64("2021-01-01")]  # expect: MLA305


def training_window(sales, data_split):
    wide = sales[pd.date_range(datetime(2017, 1, 1), datetime(2017, 8, 15))]  # expect: MLA305
    train = data_split(wide, "2017-01-01", "2017-07-01")
    return wide, train


def backtest_split(prices, dp):
    return dp.data_split(prices, "2009-01-01", "2018-01-01")  # expect: MLA305
