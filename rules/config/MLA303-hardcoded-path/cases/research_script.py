"""A research training script is configured by editing it: the data file it opens in its top-level code
(here under its main guard) is its settings, like its constants."""

import gzip

import numpy as np
import torch

if __name__ == "__main__":
    with gzip.open("./data/enwik8.gz") as file:
        data = np.frombuffer(file.read(int(95e6)), dtype=np.uint8).copy()
    train_x = torch.from_numpy(data[: int(90e6)])
