"""Ranking a large catalogue."""

from shop import Ranker

ranker = Ranker(n_estimators=500)
