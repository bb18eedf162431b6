"""Load data and models inside functions: importing the module has no side effects."""

import functools
import json

import pandas as pd


@functools.cache
def lookup_table(path: str = "data/lookup.csv") -> pd.DataFrame:
    return pd.read_csv(path)


def load_labels(path: str) -> dict:
    with open(path) as fh:
        return json.load(fh)


def main() -> None:
    table = lookup_table()
    print(len(table), load_labels("config/labels.json"))


if __name__ == "__main__":
    main()
