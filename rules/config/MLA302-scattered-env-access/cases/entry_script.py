"""An entry module (run, imported by nothing) reads its settings once: the block at its top and its main
guard are its configuration."""

import os

import pandas as pd

DATA_PATH = os.environ.get("DATA_PATH", "data/train.csv")
OUTPUT_DIR = os.environ["OUTPUT_DIR"]


def main(data_path: str, output_dir: str, limit: int) -> None:
    pd.read_csv(data_path).head(limit).to_csv(os.path.join(output_dir, "sample.csv"))


if __name__ == "__main__":
    main(DATA_PATH, OUTPUT_DIR, int(os.getenv("SAMPLE_LIMIT", "100")))
