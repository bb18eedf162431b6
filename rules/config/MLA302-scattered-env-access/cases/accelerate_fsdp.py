"""`accelerate launch` sets ACCELERATE_* and FSDP_* (FSDP_VERSION, FSDP_SHARDING_STRATEGY, ...) from its
config file for the process it starts; reading them is how the code learns how it was launched."""

import os

import torch


def prepare_for_training(model: torch.nn.Module, use_reentrant: bool) -> bool:
    fsdp2 = os.environ.get("ACCELERATE_USE_FSDP", "false").lower() == "true" and (
        int(os.environ.get("FSDP_VERSION", "1")) == 2
    )
    if fsdp2:
        use_reentrant = False
    if os.environ.get("FSDP_ACTIVATION_CHECKPOINTING", "false") == "true":
        model.gradient_checkpointing_enable()
    return use_reentrant
