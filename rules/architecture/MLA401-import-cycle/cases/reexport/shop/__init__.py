"""The package re-exports its helpers; a submodule taking a helper from the package is not a cycle."""

from shop.orders import total
from shop.util import money

__all__ = ["money", "total"]
