"""Batch prediction: the one place that turns a logged model and a frame into predictions."""

import mlflow
import pandas as pd


def pyfunc_predict(model_uri: str, frame: pd.DataFrame) -> pd.Series:
    model = mlflow.pyfunc.load_model(model_uri)
    return pd.Series(model.predict(frame), index=frame.index)
