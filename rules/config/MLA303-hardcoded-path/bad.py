import os
from pathlib import Path

import joblib
import pandas as pd


def train_model(model):
    # One finding for the function (one cause: it hardcodes its paths), every other path in `related`.
    orders = pd.read_csv("data/raw/orders.csv")  # expect: MLA303
    users = pd.read_parquet("s3://acme-ml/features/users/")
    labels = open("/mnt/shared/labels/current")
    vocab = Path("~/resources/vocab.txt").read_text()
    model.fit(orders.merge(users), labels.read().split(), vocab=vocab)
    joblib.dump(model, os.path.join("/models", "model.joblib"))
    orders.to_parquet("artifacts/orders_clean.parquet")
    return model


def make_submission(predictions):
    output_filename = "submissions/submission.csv"  # expect: MLA303
    frame = pd.DataFrame(predictions)
    frame.to_csv(output_filename, index=False)


def resume(model, optimizer):
    state = joblib.load("checkpoints/last.joblib")  # expect: MLA303
    model.load_state(state)
    joblib.dump(optimizer, "checkpoints/last.joblib")
