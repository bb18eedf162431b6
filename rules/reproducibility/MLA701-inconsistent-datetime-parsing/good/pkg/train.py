import pandas as pd

from pkg.timeparse import parse_signup


def load_users(path):
    return parse_signup(pd.read_csv(path))
