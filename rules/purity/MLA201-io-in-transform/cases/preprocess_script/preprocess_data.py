"""A data-preparation script (rules.md v2, "Entry points"): `run` is called from the main guard and
`preprocess` is a click command, so both are orchestrators whose job is reading inputs and writing outputs.
The helpers of a script are its steps: a file named `preprocess_data.py` that nothing imports is not a
features *module*, so only functions named as transforms are transforms here."""

import os
import pickle

import click
import pandas as pd


def dump_pickle(obj, filename):
    with open(filename, "wb") as f_out:
        pickle.dump(obj, f_out)


def read_dataframe(filename):
    return pd.read_parquet(filename)


def mkdir_if_not_exists(path):
    os.makedirs(path, exist_ok=True)


def run(raw_data_path, dest_path):
    mkdir_if_not_exists(dest_path)
    df = read_dataframe(os.path.join(raw_data_path, "green_tripdata_2023-01.parquet"))
    dump_pickle(df, os.path.join(dest_path, "train.pkl"))


@click.command()
@click.option("--raw_data_path")
@click.option("--dest_path")
def preprocess(raw_data_path, dest_path):
    run(raw_data_path, dest_path)


if __name__ == "__main__":
    run("data/raw", "data/processed")
