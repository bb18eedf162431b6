"""FastAPI start-up code fills the application's state once (rules.md v2, "Frameworks")."""

import joblib
from fastapi import FastAPI

app = FastAPI()
model = None


@app.on_event("startup")
def load_model():
    global model
    model = joblib.load("artifacts/model.joblib")


@app.post("/predict")
def predict(rows: list[list[float]]) -> list[int]:
    return model.predict(rows).tolist()
