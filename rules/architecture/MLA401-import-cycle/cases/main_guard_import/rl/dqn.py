"""A training script that evaluates its model at the end (cleanrl style)."""

import torch


class QNetwork(torch.nn.Module):
    def __init__(self, n_actions: int) -> None:
        super().__init__()
        self.head = torch.nn.Linear(4, n_actions)


if __name__ == "__main__":
    model = QNetwork(2)
    torch.save(model.state_dict(), "dqn.pt")
    from rl_utils.evaluate import evaluate

    print(evaluate("dqn.pt"))
