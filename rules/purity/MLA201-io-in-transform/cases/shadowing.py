"""Local definitions and parameters shadow imported and builtin names."""

from pandas import read_csv


def read_csv(text):  # noqa: F811 - shadows the pandas import on purpose
    return text.split(",")


def build_features(df, open):
    rows = read_csv(df.raw)  # the local function, not pandas
    return open(rows)  # a parameter named `open`, not the builtin
