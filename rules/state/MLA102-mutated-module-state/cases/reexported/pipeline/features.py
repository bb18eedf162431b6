"""An imported tuple is immutable, re-exported or not; an imported function is not state."""

from pipeline import COLUMNS

from .constants import COLUMNS as COLS


def column_index(name):
    return COLUMNS.index(name), COLS.count(name)
