"""A Seldon Core model (`seldon-core-microservice SentimentModel`): the model server imports this module,
builds the class named like it once and serves `predict`. Its constructor is the service's start-up,
reading its settings once, with defaults, like a script's settings block."""

import os

import joblib


class SentimentModel:
    def __init__(self):
        self.threshold = float(os.getenv("THRESHOLD", "0.5"))
        self.vectorizer = joblib.load(os.getenv("VECTORIZER_FILE", "vectorizer.joblib"))
        self.model = joblib.load(os.getenv("MODEL_FILE", "model.joblib"))

    def predict(self, X, features_names=None):
        scores = self.model.predict_proba(self.vectorizer.transform(X))[:, 1]
        return (scores > self.threshold).astype(int)
