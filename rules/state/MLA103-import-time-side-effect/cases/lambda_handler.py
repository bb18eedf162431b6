"""An AWS Lambda handler module: code at module level is the Lambda *init* phase, run once per container
and reused by every invocation, which is what AWS recommends for loading models and clients."""

import json

import joblib

model = joblib.load("./model.joblib")


def handler(event, context):
    return json.dumps({"predictions": model.predict(event["data"]).tolist()})
