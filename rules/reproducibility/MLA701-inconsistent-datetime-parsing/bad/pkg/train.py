import pandas as pd


def load_users(path):
    users = pd.read_csv(path)
    users["signup_at"] = pd.to_datetime(users["signup_at"], utc=True)
    return users
