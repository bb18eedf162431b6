"""Ranking a small catalogue."""

from shop import Ranker

ranker = Ranker(n_estimators=10)
