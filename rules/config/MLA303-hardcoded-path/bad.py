import os
from pathlib import Path

import joblib
import pandas as pd


def load_orders():
    return pd.read_csv("data/raw/orders.csv")  # expect: MLA303


def load_users():
    return pd.read_parquet("s3://acme-ml/features/users/")  # expect: MLA303


def load_labels():
    return open("/mnt/shared/labels/current").read().split()  # expect: MLA303


def load_vocab():
    return Path("~/resources/vocab.txt").read_text()  # expect: MLA303


def save_model(model):
    joblib.dump(model, os.path.join("/models", "model.joblib"))  # expect: MLA303


def save_orders(orders):
    orders.to_parquet("artifacts/orders_clean.parquet")  # expect: MLA303


def train_model(model):
    """Several paths hardcoded in one function are one cause: one finding at the first, the rest related."""
    orders = pd.read_csv("data/raw/orders_2024.csv")  # expect: MLA303
    users = pd.read_parquet("s3://acme-ml/features/users_2024/")
    model.fit(orders.merge(users))
    joblib.dump(model, "models/model_2024.joblib")
    return model


def make_submission(predictions):
    output_filename = "submissions/predictions.csv"  # expect: MLA303
    frame = pd.DataFrame(predictions)
    frame.to_csv(output_filename, index=False)


def resume(model, optimizer):
    state = joblib.load("checkpoints/last.joblib")  # expect: MLA303
    model.load_state(state)
    joblib.dump(optimizer, "checkpoints/last.joblib")
