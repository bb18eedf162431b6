"""Launcher and platform variables are set by torchrun, SLURM, CI or the OS: reading them is how code learns
where it runs, not scattered configuration."""

import os

import torch.distributed as dist


def init_distributed() -> tuple[int, int]:
    if "RANK" not in os.environ:
        return 0, 1
    rank = int(os.environ["RANK"])
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    local_rank = int(os.getenv("LOCAL_RANK", "0"))
    os.environ["MASTER_ADDR"] = os.environ.get("SLURM_LAUNCH_NODE_IPADDR", "127.0.0.1")
    dist.init_process_group("nccl", rank=rank, world_size=world_size)
    return local_rank, world_size


def on_ci() -> bool:
    return bool(os.getenv("CI")) or "GITHUB_ACTIONS" in os.environ
