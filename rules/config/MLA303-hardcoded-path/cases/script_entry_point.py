"""A script's entry point (the function its main guard runs, here through `fire`) is its top-level code
moved into a function: the data file it opens and the parameter block at its start are the script's settings,
like its constants."""

import gzip

import fire
import numpy as np
import pandas as pd


def train(batch_size: int = 4, num_batches: int = 100):
    # parameters
    csv_path = "data/HPAv18RBGY_wodpl.csv"
    ids = pd.read_csv(csv_path)["Id"]
    with gzip.open("./data/enwik8.gz") as file:
        data = np.frombuffer(file.read(int(95e6)), dtype=np.uint8).copy()
    return ids, data, batch_size, num_batches


if __name__ == "__main__":
    fire.Fire(train)
