"""Methods of a model (an `nn.Module`) compute; sampling in a VAE's encoder is the model, not a data
transform, even when the method is named `encode_*`."""

import torch
from torch import nn


class GPTVAE(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.to_mu = nn.Linear(dim, dim)
        self.to_logvar = nn.Linear(dim, dim)

    def encode_to_latents(self, x):
        mu, logvar = self.to_mu(x), self.to_logvar(x)
        return mu + torch.randn_like(mu) * (0.5 * logvar).exp()
