"""Functions that measure speed: a layer's time and memory checked by a `test_*` harness in a production
file, and a benchmark that shuffles on purpose before timing each fit. Both report time, not a model."""

import argparse
import time

import numpy as np
import torch
from sklearn.linear_model import SGDClassifier
from sklearn.utils import shuffle
from torch import nn


def test_attention(args):
    layer = nn.MultiheadAttention(args.d_model, 4, dropout=0.1, batch_first=True)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-4)
    hidden = torch.ones(4, args.seq_len, args.d_model)
    start = time.time()
    for _ in range(100):
        out, _ = layer(hidden, hidden, hidden)
        loss = (out**2).mean()
        loss.backward()
        optimizer.step()
    print(f"average time: {(time.time() - start) / 100:.4f} s")


def benchmark_fit(X, y, repeats=5):
    timings = []
    for _ in range(repeats):
        Xs, ys = shuffle(X, y)
        start = time.perf_counter()
        SGDClassifier(max_iter=5).fit(Xs, ys)
        timings.append(time.perf_counter() - start)
    return np.mean(timings)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("-d_model", type=int, default=64)
    parser.add_argument("-seq_len", type=int, default=128)
    test_attention(parser.parse_args())
