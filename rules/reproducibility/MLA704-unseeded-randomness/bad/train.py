"""An entry script whose training loop runs with no seed set on its path."""

import torch


def train_net(net, loader, optimizer):
    for _ in range(10):
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(net(x), y)
            loss.backward()  # expect: MLA704
            optimizer.step()


if __name__ == "__main__":
    train_net(torch.nn.Linear(4, 1), [], None)
