from typing import TYPE_CHECKING

from layered.features import select

if TYPE_CHECKING:  # annotations only: never executed, not a dependency
    from layered.train import Run


def predict(model, frame):
    return model.predict(select(frame))


def label(run: "Run") -> str:
    return run.name
