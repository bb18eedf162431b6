"""FastAPI's documented `lifespan` pattern: a module-level dict filled at start-up and cleared at shutdown
is the application's state, not module state mutated by a function (rules.md v2, "Frameworks")."""

from contextlib import asynccontextmanager

import joblib
from fastapi import Depends, FastAPI

ml_models = {}
sessions = []


@asynccontextmanager
async def lifespan(app: FastAPI):
    ml_models["classifier"] = joblib.load("artifacts/model.joblib")
    yield
    ml_models.clear()


def get_session():
    sessions.append(object())
    yield sessions[-1]


app = FastAPI(lifespan=lifespan)


@app.get("/health")
def health(session=Depends(get_session)):
    return {"models": len(ml_models)}
