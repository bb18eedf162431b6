"""Experiments have no layer either (a config.py under notebooks/ is experiment code)."""

from mlproj.serve import handler

RESULT = handler({})
