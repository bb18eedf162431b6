"""`submission.csv` in the working directory is the name the competition platform requires and supplies:
nothing to configure."""

import pandas as pd


def write_submission(ids, predictions, kernel):
    frame = pd.DataFrame({"id": ids, "target": predictions})
    if kernel:
        frame.to_csv("submission.csv", index=False)
    sample = pd.read_csv("sample_submission.csv")
    return sample
