"""A serving module that loads its data and model, and phones home, the moment it is imported."""

import json
import pickle
import subprocess

import joblib
import pandas as pd
import requests
import torch
from transformers import AutoModel, AutoTokenizer

LOOKUP = pd.read_csv("data/lookup.csv")  # expect: MLA103
with open("config/labels.json") as fh:  # expect: MLA103
    LABELS = json.load(fh)  # the read of the already-reported handle is not reported again

ENCODER = joblib.load("artifacts/encoder.joblib")  # expect: MLA103
SCALER = pickle.load(open("artifacts/scaler.pkl", "rb"))  # expect: MLA103
WEIGHTS = torch.load("artifacts/model.pt")  # expect: MLA103
TOKENIZER = AutoTokenizer.from_pretrained("bert-base-uncased")  # expect: MLA103
MODEL = AutoModel.from_pretrained("bert-base-uncased")  # expect: MLA103
FLAGS = requests.get("https://flags.example.com/ml").json()  # expect: MLA103
COMMIT = subprocess.check_output(["git", "rev-parse", "HEAD"]).decode()  # expect: MLA103


def predict(rows, threshold=json.load(open("config/threshold.json"))):  # expect: MLA103
    """Default arguments are evaluated once, at import time."""
    return MODEL(**TOKENIZER(rows, return_tensors="pt")).logits > threshold
