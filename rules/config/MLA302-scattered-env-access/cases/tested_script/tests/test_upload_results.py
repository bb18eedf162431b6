from scripts.upload_results import sanitize


def test_sanitize() -> None:
    assert sanitize("org/model") == "org__model"
