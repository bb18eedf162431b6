"""An Azure ML scoring script (online or batch endpoint, parallel-run job): the inference server imports it,
calls `init()` once and `run()` per request or mini-batch. Neither signature can carry state, so `global
model` in `init()` is the documented hand-over (rules.md v2, "Frameworks"), like FastAPI start-up code."""

import json
import os

import joblib
import pandas as pd


def init():
    global model, columns
    model_dir = os.getenv("AZUREML_MODEL_DIR")
    model = joblib.load(os.path.join(model_dir, "model.pkl"))
    columns = json.load(open(os.path.join(model_dir, "columns.json")))


def run(mini_batch):
    frame = pd.DataFrame(json.loads(mini_batch)["data"], columns=columns)
    return model.predict(frame).tolist()
