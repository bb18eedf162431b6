"""A training script that seeds everything through a helper."""
import lightning as L
import torch


def main(net, loader, optimizer):
    L.seed_everything(7)
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main(torch.nn.Linear(2, 1), [], None)
