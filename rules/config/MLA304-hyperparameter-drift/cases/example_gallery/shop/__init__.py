"""A small library."""

from shop.models import Ranker

__all__ = ["Ranker"]
