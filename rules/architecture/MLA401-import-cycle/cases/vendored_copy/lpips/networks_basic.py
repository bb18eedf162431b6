import torch

import lpips as util


class PNetLin(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, in0, in1):
        return (util.normalize_tensor(in0) - util.normalize_tensor(in1)).pow(2).mean()
