"""Tests may keep fixtures in module globals: MLA101 applies to production code only."""

_dataset = None


def setup_module():
    global _dataset
    _dataset = [(0.0, 0), (1.0, 1)]


def test_dataset_has_rows():
    assert len(_dataset) == 2
