"""Load test of the prediction service: `locust -f locustfile.py --host http://127.0.0.1:3000`.

locust runs this file, nothing imports it: the request payloads are loaded once for every simulated user.
"""

import random

import pandas as pd
from locust import HttpUser, between, task

payloads = pd.read_csv("data/sample_requests.csv").drop(columns=["quality"]).to_dict(orient="records")


class PredictionUser(HttpUser):
    wait_time = between(1, 3)

    @task(1)
    def healthcheck(self):
        self.client.get("/healthcheck")

    @task(10)
    def predict(self):
        self.client.post("/predict", json=random.choice(payloads))
