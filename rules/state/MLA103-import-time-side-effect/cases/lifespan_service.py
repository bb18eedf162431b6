"""A FastAPI service that loads its model in the `lifespan` handler (FastAPI's documented pattern): the load
runs at start-up, not at import, so importing the app in a test costs nothing."""

from contextlib import asynccontextmanager

import joblib
from fastapi import FastAPI

models = {}


@asynccontextmanager
async def lifespan(app: FastAPI):
    models["classifier"] = joblib.load("artifacts/model.joblib")
    yield
    models.clear()


app = FastAPI(lifespan=lifespan)


@app.post("/predict")
def predict(rows: list[list[float]]) -> list[int]:
    return models["classifier"].predict(rows).tolist()
