"""Tests have no layer: a test of the config may import the serving code."""

from mlproj.config import PORT
from mlproj.serve import handler


def test_handler():
    assert handler({"port": PORT}) == {"ok": True}
