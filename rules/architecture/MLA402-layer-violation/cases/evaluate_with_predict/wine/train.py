"""Training checks the model it logged through the serving-side predict function: reusing it is what
keeps evaluation and serving from drifting apart, not a layer breach."""

import mlflow
import pandas as pd
from sklearn.tree import DecisionTreeRegressor

from .predict import pyfunc_predict


def train(frame: pd.DataFrame, target: str) -> float:
    model = DecisionTreeRegressor(max_depth=4, random_state=0)
    features = frame.drop(columns=[target])
    model.fit(features, frame[target])
    info = mlflow.sklearn.log_model(model, "model")
    predicted = pyfunc_predict(info.model_uri, features)
    return float(((predicted - frame[target]) ** 2).mean())
