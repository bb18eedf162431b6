import os
from pathlib import Path

import joblib
import pandas as pd


def train_model(model):
    orders = pd.read_csv("data/raw/orders.csv")  # expect: MLA303
    users = pd.read_parquet("s3://acme-ml/features/users/")  # expect: MLA303
    labels = open("/mnt/shared/labels/current")  # expect: MLA303
    vocab = Path("~/resources/vocab.txt").read_text()  # expect: MLA303
    model.fit(orders.merge(users), labels.read().split(), vocab=vocab)
    joblib.dump(model, os.path.join("/models", "model.joblib"))  # expect: MLA303
    orders.to_parquet("artifacts/orders_clean.parquet")  # expect: MLA303
    return model


def make_submission(predictions):
    output_filename = "submissions/submission.csv"  # expect: MLA303
    frame = pd.DataFrame(predictions)
    frame.to_csv(output_filename, index=False)


def resume(model, optimizer):
    state = joblib.load("checkpoints/last.joblib")  # expect: MLA303
    model.load_state(state)
    joblib.dump(optimizer, "checkpoints/last.joblib")
