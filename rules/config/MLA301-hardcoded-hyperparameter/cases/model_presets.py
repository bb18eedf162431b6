"""Named model configurations and architectures: a preset factory's literals are the preset (like a
config file), and a layer's size or dropout inside a model definition is the architecture itself."""

from torch import nn


class UNetDown(nn.Module):
    def __init__(self, in_size, out_size, dropout=0.0):
        super().__init__()
        layers = [nn.Conv2d(in_size, out_size, 4, 2, 1), nn.LeakyReLU(0.2)]
        if dropout:
            layers.append(nn.Dropout(dropout))
        self.model = nn.Sequential(*layers)


class Generator(nn.Module):
    def __init__(self, channels=3):
        super().__init__()
        self.down1 = UNetDown(channels, 64)
        self.down2 = UNetDown(64, 128, dropout=0.5)
        self.down3 = UNetDown(128, 256, dropout=0.5)
        self.attn = nn.MultiheadAttention(256, num_heads=8, dropout=0.1)


class DiT(nn.Module):
    def __init__(self, depth=28, hidden_size=1152, patch_size=2, num_heads=16, **kwargs):
        super().__init__()


def DiT_XL_2(**kwargs):
    return DiT(depth=28, hidden_size=1152, patch_size=2, num_heads=16, **kwargs)


def DiT_B_4(**kwargs):
    """DiT-B/4."""
    model = DiT(depth=12, hidden_size=768, patch_size=4, num_heads=12, **kwargs)
    return model
