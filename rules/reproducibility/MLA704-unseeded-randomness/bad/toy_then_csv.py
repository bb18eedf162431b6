"""A script that builds a toy tensor but also reads a CSV: it trains on real data, unseeded."""

import pandas as pd
import torch


def main(path):
    frame = pd.read_csv(path)
    warmup = torch.randn(4, 3)  # a toy tensor does not make the data synthetic
    features = torch.tensor(frame[["a", "b", "c"]].to_numpy(), dtype=torch.float32)
    target = torch.tensor(frame["y"].to_numpy(), dtype=torch.float32)
    model = torch.nn.Linear(3, 1)
    model(warmup)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(100):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(features).squeeze(1), target)
        loss.backward()  # expect: MLA704
        optimizer.step()


if __name__ == "__main__":
    main("train.csv")
