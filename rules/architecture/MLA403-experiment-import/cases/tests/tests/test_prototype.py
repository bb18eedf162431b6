"""Tests are not production code: testing a prototype is fine."""

from sandbox.prototype import double


def test_double():
    assert double(2) == 4
