"""Tests may load fixtures at import time: the rule applies to production code only."""

import pandas as pd

FIXTURE = pd.read_csv("tests/fixtures/small.csv")


def test_fixture_has_rows():
    assert len(FIXTURE) > 0
