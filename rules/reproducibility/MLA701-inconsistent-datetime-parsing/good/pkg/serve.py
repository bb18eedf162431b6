import pandas as pd

from pkg.timeparse import parse_signup


def prepare(payload):
    return parse_signup(pd.DataFrame([payload]))
