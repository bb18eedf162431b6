import joblib


def test_roundtrip(tmp_path, model):
    joblib.dump(model, tmp_path / "m.joblib")
    assert joblib.load(tmp_path / "m.joblib") is not None
