"""Feature code (features layer) that asks the model which columns it wants."""

FEATURE_COLUMNS = ["age", "income", "sessions"]


def select(frame):
    from mlproj.model import INPUTS  # expect: MLA402

    return frame[INPUTS]
