"""A distributed-API demo fed random batches, whose only output is the time each configuration took: its
data are `torch.randn` tensors and random labels, no file or dataset is read, no metric is reported."""

import time

import torch
import torch.nn as nn
import torch.optim as optim

num_batches, batch_size, num_classes = 3, 120, 1000


def run_master(model, split_size):
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    loss_fn = nn.MSELoss()
    one_hot_indices = torch.LongTensor(batch_size).random_(0, num_classes).view(batch_size, 1)
    for _ in range(num_batches):
        inputs = torch.randn(batch_size, 3, 8, 8)
        labels = torch.zeros(batch_size, num_classes).scatter_(1, one_hot_indices, 1)
        outputs = model(inputs.flatten(1))
        loss = loss_fn(outputs, labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    for split_size in (1, 2, 4, 8):
        tik = time.time()
        run_master(nn.Linear(3 * 8 * 8, num_classes), split_size)
        print(f"number of splits = {split_size}, execution time = {time.time() - tik}")
