"""An import for annotations only never runs: production does not depend on the experiment."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from experiments.variants import Variant


def label(variant: "Variant") -> str:
    return variant.name
