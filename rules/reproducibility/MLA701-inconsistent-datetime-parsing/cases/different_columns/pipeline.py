import pandas as pd


def load(path):
    frame = pd.read_csv(path)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    frame["birth_date"] = pd.to_datetime(frame["birth_date"], format="%Y-%m-%d")
    return frame
