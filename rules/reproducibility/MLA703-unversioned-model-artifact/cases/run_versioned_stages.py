"""A model saved inside a Metaflow step, or named by the tracked run's id, is traced to the run that made it:
Metaflow stores the run's artifacts with its code package and parameters. (A Prefect task records no such
thing about the files it writes: tests/rules/test_precision_heldout.py pins that side.)"""

import tarfile

import tensorflow as tf
from metaflow import FlowSpec, current, step


def model_to_tar(model: tf.keras.Model, run_id: int) -> str:
    model_dir = f"intent-model-{run_id}/1"
    model.save(filepath=model_dir)
    archive = f"model-{run_id}.tar.gz"
    with tarfile.open(archive, mode="w:gz") as tar:
        tar.add(model_dir, recursive=True)
    return archive


class IntentFlow(FlowSpec):
    @step
    def start(self):
        self.next(self.train)

    @step
    def train(self):
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.save(filepath=f"intent-model-{self.lr}")
        self.archive = model_to_tar(model, current.run_id)
        self.next(self.end)

    @step
    def end(self):
        print(self.archive)

