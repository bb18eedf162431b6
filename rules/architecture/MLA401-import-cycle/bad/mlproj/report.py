"""A cycle through TYPE_CHECKING imports only is not reported: those imports never run."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlproj.model import predict


def describe(scores: list[float]) -> str:
    return f"{len(scores)} scores"
