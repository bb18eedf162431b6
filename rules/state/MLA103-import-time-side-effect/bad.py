"""A serving module that loads its data and model, and phones home, the moment it is imported.

One finding per file (rules.md v2, "One finding per cause": the cause is the module's import-time work), at
the first read: the message names the reads and the model loads first and counts the rest (network,
subprocess, tracker, the first-party load); every other site is in `related`.
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
WEIGHTS = torch.load("artifacts/model.pt")  # related
TOKENIZER = AutoTokenizer.from_pretrained("bert-base-uncased")  # related
MODEL = AutoModel.from_pretrained("bert-base-uncased")  # related
FLAGS = requests.get("https://flags.example.com/ml").json()  # related
COMMIT = subprocess.check_output(["git", "rev-parse", "HEAD"]).decode()  # related
mlflow.set_experiment("serving")  # related


def predict(rows, threshold=json.load(open("config/threshold.json"))):  # related: defaults run at import
    """Default arguments are evaluated once, at import time."""
    return MODEL(**TOKENIZER(rows, return_tensors="pt")).logits > threshold


def load_vocabulary():
    with open("artifacts/vocab.txt") as fh:
        return fh.read().split()


VOCAB = load_vocabulary()  # related


if __name__ == "__main__":
    # A main guard makes this a script that is also meant to be imported (by the server, by tests): the
    # loads above still run on every import.
    print(predict(["hello"]))
