import pandas as pd


def build_features(path):
    return pd.read_csv(path)


def test_build_features(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    assert len(build_features(path)) == 1
