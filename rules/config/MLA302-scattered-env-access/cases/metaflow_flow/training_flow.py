"""A Metaflow flow whose step decorators forward settings to AWS Batch: decorator arguments are evaluated
once, when the class is defined in this entry module, not inside the decorated step; and the AWS, Neptune,
MLflow and Metaflow variables belong to those tools' clients, not to the project's configuration; a step
reads back the variables its own `@environment(vars=...)` decorator forwards to it."""

import os

from metaflow import FlowSpec, batch, environment, step


class TrainingFlow(FlowSpec):
    @step
    def start(self):
        self.on_batch = os.getenv("AWS_BATCH_JOB_ID") is not None
        self.region = os.environ.get("AWS_DEFAULT_REGION", "us-west-2")
        self.next(self.train)

    @batch(image=os.getenv("BATCH_IMAGE"), gpu=int(os.getenv("BATCH_GPUS", "1")), memory=30000)
    @environment(vars={"NEPTUNE_PROJECT": os.getenv("NEPTUNE_PROJECT"), "EN_BATCH": os.getenv("EN_BATCH")})
    @step
    def train(self):
        assert os.getenv("NEPTUNE_API_TOKEN"), "set NEPTUNE_API_TOKEN"
        tracking = os.environ.get("MLFLOW_TRACKING_URI")
        self.model = {"tracking": tracking, "profile": os.getenv("METAFLOW_PROFILE")}
        self.next(self.features)

    @batch(image=os.getenv("BATCH_IMAGE"))
    @environment(vars={"FEATURES_S3_PATH": os.getenv("FEATURES_S3_PATH"), "LABELS_PATH": os.getenv("LABELS_PATH")})
    @step
    def features(self):
        # on Batch, the step reads back what its own @environment decorator forwarded
        self.features_path = os.getenv("FEATURES_S3_PATH")
        self.labels_path = os.environ["LABELS_PATH"]
        self.next(self.end)

    @step
    def end(self):
        print(self.model)


if __name__ == "__main__":
    TrainingFlow()
