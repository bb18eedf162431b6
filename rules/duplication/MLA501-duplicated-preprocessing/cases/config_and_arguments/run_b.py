import argparse

import pandas as pd

columns = pd.Index(["user_id", "plan"])
out_dir = "out"
eval_interval = 250
log_interval = 10
batch_size = 64
block_size = 1024
dataset = "shakespeare"
learning_rate = 6e-4


def parse_args():
    parser = argparse.ArgumentParser(description="train")
    parser.add_argument("--data", default="data.csv")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="model.pkl")
    return parser.parse_args()


if __name__ == "__main__":
    args = parse_args()
    frame = pd.read_csv(args.data)
