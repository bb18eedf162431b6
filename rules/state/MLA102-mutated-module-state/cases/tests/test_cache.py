"""Tests may keep module-level fixtures and mutate them: the rule applies to production code only."""

SEEN = []


def record(value):
    SEEN.append(value)


def test_record():
    record(1)
    assert SEEN == [1]
