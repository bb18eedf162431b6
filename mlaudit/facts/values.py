"""What a hyperparameter's literal value means, from its source text (no libcst: the project rules
MLA302/MLA305 import these without importing the extractors' parser)."""

from __future__ import annotations


def numeric_value(text: str) -> float | None:
    """``"3e-4"``/``"0.0003"``/``"1_000"``/``"0x10"`` -> a comparable number."""
    try:
        return float(int(text, 0))
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def is_degenerate(value: str) -> bool:
    """0 and 1 switch a mechanism off or make it trivial (``max_iter=1`` for one pass, ``l1_ratio=1`` for
    pure lasso, ``dropout=0``, ``n_neighbors=1`` for a nearest-neighbour lookup) rather than tune it."""
    number = numeric_value(value)
    return number is not None and number in (0.0, 1.0)
