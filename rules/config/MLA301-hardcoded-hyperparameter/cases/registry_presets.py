"""Registered model presets (timm's `@register_model`, mmcv's `@MODELS.register_module()`): the function's
name is the architecture, its literals are what the name means. Also a factory that builds one object,
sets attributes on it, optionally loads weights into it and returns it: a named configuration too."""

from functools import partial

import torch
from torch import nn


class VisionTransformer(nn.Module):
    def __init__(self, patch_size=16, embed_dim=768, depth=12, num_heads=12, mlp_ratio=4.0, **kwargs):
        super().__init__()


def register_model(fn):
    return fn


class Registry:
    def register_module(self):
        return lambda cls: cls


MODELS = Registry()


def _cfg(**kwargs):
    return {"input_size": (3, 224, 224), **kwargs}


@register_model
def deit_tiny_patch16_224(pretrained=False, **kwargs):
    model = VisionTransformer(
        patch_size=16, embed_dim=192, depth=12, num_heads=3, mlp_ratio=4,
        norm_layer=partial(nn.LayerNorm, eps=1e-6), **kwargs)
    model.default_cfg = _cfg()
    if pretrained:
        checkpoint = torch.hub.load_state_dict_from_url(url="https://example.org/deit_tiny.pth", map_location="cpu")
        model.load_state_dict(checkpoint["model"])
    return model


@MODELS.register_module()
def vit_small_dropout(**kwargs):
    blocks = [VisionTransformer(num_heads=6, dropout=0.1) for _ in range(2)]
    return nn.Sequential(*blocks)


def vit_base_patch16_384(pretrained=False, img_size=384, **kwargs):
    """Not registered, but a preset all the same: one object built, decorated and returned."""
    model = VisionTransformer(patch_size=16, embed_dim=768, depth=12, num_heads=12, **kwargs)
    model.default_cfg = _cfg(input_size=(3, img_size, img_size))
    if pretrained:
        model.load_state_dict(torch.load("vit_base_384.pth"))
    return model
