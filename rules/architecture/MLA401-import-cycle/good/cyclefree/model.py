from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only: never executed, not a cycle
    from cyclefree.train import Trainer


def predict(model, frame):
    return model.predict(frame)


def describe(trainer: "Trainer") -> str:
    return trainer.name
