"""A Kaggle feature-generation job (rules.md v2, "Scripts"): no main guard, work inline at module level,
imported by nothing. Importing it runs it, so ``create_kernel_features`` is a step of the run whose purpose
is computing and writing the feature files, not a transform anything can reuse: MLA201 stays quiet."""

import pandas as pd

debug = 1
print("debug", debug)
PATH = "../processed_day9/" if debug else "../processed_full/"


def create_kernel_features(train_df):
    for cols in (["ip", "app"], ["ip", "device", "os"]):
        name = "_".join(cols) + "_count"
        gp = train_df.groupby(cols).size().rename(name).reset_index()
        gp.to_csv(PATH + name + ".csv", index=False)
    return train_df


def main():
    train_df = pd.read_csv("../input/train.csv", nrows=10_000_000 if debug else None)
    create_kernel_features(train_df)


main()
