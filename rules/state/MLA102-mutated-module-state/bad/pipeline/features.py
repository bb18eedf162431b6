"""Transforms that reach into another module's state (`from .state import CACHE`)."""

import pipeline.state as st

from . import state
from .state import CACHE, SEEN_COLUMNS


def add_ratio(df):
    SEEN_COLUMNS.update(df.columns)  # expect: MLA102
    key = tuple(df.columns)
    if key not in CACHE:
        CACHE[key] = df["a"] / df["b"]  # a memo store (`key` tested absent): not state on its own
    return df.assign(ratio=CACHE[key])


def reset_cache():
    state.CACHE.clear()  # expect: MLA102


def forget_step(step):
    st.HISTORY.drop(st.HISTORY.index[st.HISTORY["step"] == step], inplace=True)  # expect: MLA102
