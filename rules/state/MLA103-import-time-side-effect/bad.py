"""A serving module that loads its data and model, and phones home, the moment it is imported.

One finding per cause (rules.md v2, "One finding per cause"): the six reads are one finding at the first,
with the other five in `related`; the three model loads another; and so on.
"""

import json
import pickle
import subprocess

import joblib
import mlflow
import pandas as pd
import requests
import torch
from transformers import AutoModel, AutoTokenizer

LOOKUP = pd.read_csv("data/lookup.csv")  # expect: MLA103
with open("config/labels.json") as fh:  # related: the second read
    LABELS = json.load(fh)  # the read of the already-reported handle is not a site of its own

ENCODER = joblib.load("artifacts/encoder.joblib")  # related
SCALER = pickle.load(open("artifacts/scaler.pkl", "rb"))  # related
WEIGHTS = torch.load("artifacts/model.pt")  # expect: MLA103
TOKENIZER = AutoTokenizer.from_pretrained("bert-base-uncased")  # related
MODEL = AutoModel.from_pretrained("bert-base-uncased")  # related
FLAGS = requests.get("https://flags.example.com/ml").json()  # expect: MLA103
COMMIT = subprocess.check_output(["git", "rev-parse", "HEAD"]).decode()  # expect: MLA103
mlflow.set_experiment("serving")  # expect: MLA103


def predict(rows, threshold=json.load(open("config/threshold.json"))):  # related: defaults run at import
    """Default arguments are evaluated once, at import time."""
    return MODEL(**TOKENIZER(rows, return_tensors="pt")).logits > threshold


def load_vocabulary():
    with open("artifacts/vocab.txt") as fh:
        return fh.read().split()


VOCAB = load_vocabulary()  # expect: MLA103


if __name__ == "__main__":
    # A main guard makes this a script that is also meant to be imported (by the server, by tests): the
    # loads above still run on every import.
    print(predict(["hello"]))
