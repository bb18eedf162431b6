"""Copies whose only differences are log messages do not diverge in what they compute."""

import logging

log = logging.getLogger(__name__)


def clean_train(df):
    log.info("cleaning the training set")
    df = df.dropna(subset=["age"])
    df["age"] = df["age"].clip(18, 90)
    df["income"] = df["income"].fillna(0)
    df = df.sort_values("age")
    return df


def clean_holdout(df):
    log.info("cleaning the holdout set")
    df = df.dropna(subset=["age"])
    df["age"] = df["age"].clip(18, 90)
    df["income"] = df["income"].fillna(0)
    df = df.sort_values("age")
    return df
