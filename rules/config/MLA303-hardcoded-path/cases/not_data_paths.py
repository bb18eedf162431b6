"""Endpoints without a file extension, system paths and model hub ids are not data paths."""

import requests
from transformers import AutoModel


def call_service(payload):
    with open("/dev/null", "w") as sink:
        sink.write(str(payload))
    model = AutoModel.from_pretrained("bert-base-uncased")
    return requests.post("https://scoring.internal/v1/predict", json=payload, timeout=5), model
