"""A verbatim copy of the `lpips` package of PyPI, kept with its licence (`../LICENSE-LPIPS`): its
helpers live in the package's `__init__` and its modules import the package back (`import lpips as
util`). The project does not maintain this code, so the cycle is not reported: the folder is skipped
as a vendored copy (a licence file named after the package, a package the project does not declare)."""

import torch

from lpips import dist_model


def normalize_tensor(x, eps=1e-10):
    norm = torch.sqrt(torch.sum(x**2, dim=1, keepdim=True))
    return x / (norm + eps)


class PerceptualLoss(torch.nn.Module):
    def __init__(self, net="alex"):
        super().__init__()
        self.model = dist_model.DistModel(net)

    def forward(self, pred, target):
        return self.model.forward(target, pred)
