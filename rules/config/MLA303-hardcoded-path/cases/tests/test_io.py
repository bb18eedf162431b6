import pandas as pd


def test_reads_fixture():
    assert len(pd.read_csv("tests/fixtures/orders.csv")) > 0
