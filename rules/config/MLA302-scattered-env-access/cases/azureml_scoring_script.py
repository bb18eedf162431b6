"""An Azure ML scoring script: the inference server calls `init()` once, then `run()` per request. `init()`
is its entry point (rules.md v2, "Frameworks"): reading the deployment's settings there is reading them
once. `AML_APP_ROOT` and the `AZUREML_*` variables are set by the inference server itself."""

import json
import os

import joblib
import pandas as pd


def init():
    global model, target_column, labels
    target_column = os.getenv("TARGET_COLUMN_NAME")
    model = joblib.load(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.pkl"))
    labels = json.load(open(os.path.join(os.environ["AML_APP_ROOT"], "labels.json")))


def run(mini_batch):
    frame = pd.concat(pd.read_csv(path) for path in mini_batch)
    frame[target_column] = model.predict(frame)
    return frame
