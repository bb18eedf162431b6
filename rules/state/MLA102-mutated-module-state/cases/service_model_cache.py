"""A single-file FastAPI service: the in-memory model cache is the service's state.

The module binds the application and its routes; the cache is changed only by the `/models` route
handler (and read by `/predictions`). That is the service's documented state, not module state a
caller did not ask for. A helper function mutating it outside a route would still be reported.
"""

from fastapi import FastAPI

from registry import Registry

app = FastAPI(title="Serving API")
in_memory_models = dict()


@app.post("/predictions")
async def predict(payload: dict) -> dict:
    model = in_memory_models[payload["model"]]
    return {"prediction": model.predict([payload["features"]]).tolist()}


@app.post("/models")
async def update_models_in_memory() -> dict:
    registry = Registry()
    for name, model in registry.deployed():
        in_memory_models.update({name: model})
    return {"status": True}
