"""Code under the main guard runs only when the file is executed, not when it is imported."""

import pandas as pd


def summarise(df):
    return df.describe()


if __name__ == "__main__":
    frame = pd.read_csv("data/train.csv")
    with open("reports/summary.txt", "w") as out:
        out.write(str(summarise(frame)))
