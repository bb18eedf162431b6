"""The package's public API."""

from lib.net import Net

__all__ = ["Net"]
