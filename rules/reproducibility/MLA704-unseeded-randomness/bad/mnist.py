"""A real-data training script (MNIST, a shuffled loader, a printed accuracy) with no seed anywhere."""

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def train(model, loader, optimizer):
    model.train()
    for data, target in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(data.flatten(1)), target)
        loss.backward()  # expect: MLA704
        optimizer.step()


if __name__ == "__main__":
    mnist = datasets.MNIST("../data", train=True, download=True, transform=transforms.ToTensor())
    net = torch.nn.Linear(784, 10)
    train(net, DataLoader(mnist, batch_size=64, shuffle=True), torch.optim.SGD(net.parameters(), lr=0.01))
