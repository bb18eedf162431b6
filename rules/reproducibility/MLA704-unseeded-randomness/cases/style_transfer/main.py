"""Neural style transfer optimises an image cloned from the content image through a frozen pretrained
network: no random initialisation, no shuffled data, nothing a seed would change."""

import argparse

import torch
from torch import nn
from torchvision import models


class VGGNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.vgg = models.vgg19(pretrained=True).features

    def forward(self, x):
        return [layer(x) for layer in self.vgg]


def main(config):
    content = torch.load(config.content)
    style = torch.load(config.style)
    target = content.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([target], lr=config.lr, betas=[0.5, 0.999])
    vgg = VGGNet().eval()
    for _ in range(config.total_step):
        loss = sum(torch.mean((t - c) ** 2) + torch.mean((t - s) ** 2)
                   for t, c, s in zip(vgg(target), vgg(content), vgg(style)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--content")
    parser.add_argument("--style")
    parser.add_argument("--lr", type=float, default=0.003)
    parser.add_argument("--total_step", type=int, default=2000)
    main(parser.parse_args())
