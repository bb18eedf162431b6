"""Transforms take what they need and return new values."""

import functools


def add_ratio(df):
    return df.assign(ratio=df["a"] / df["b"])


@functools.cache
def vocabulary(words):
    return {word: i for i, word in enumerate(sorted(set(words)))}
