from layered.config import MODEL_COLUMNS


def select(frame):
    return frame[MODEL_COLUMNS]
