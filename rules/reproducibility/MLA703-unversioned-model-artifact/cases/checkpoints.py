"""Training checkpoints are resume state, not released artifacts."""
import torch


def fit(model, optimizer, loader, epochs, out_dir):
    for epoch in range(epochs):
        for batch in loader:
            optimizer.zero_grad()
            model(batch).backward()
            optimizer.step()
        torch.save(model.state_dict(), f"{out_dir}/model_{epoch}.pt")
    torch.save(
        {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epochs},
        f"{out_dir}/last.pt",
    )


def save_checkpoint(model, path):
    torch.save(model.state_dict(), path)


class Checkpoint:
    def save_model(self, net, path):
        torch.save(net.state_dict(), path)
