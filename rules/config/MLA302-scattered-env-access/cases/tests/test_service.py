import os


def test_reads_token(monkeypatch):
    monkeypatch.setenv("API_TOKEN", "x")
    assert os.environ["API_TOKEN"] == "x"
