"""A CLI that wraps torchrun forwards torchrun's own options, set in the environment of the job under their
conventional names (NNODES, NPROC_PER_NODE, NODE_RANK, MASTER_ADDR/PORT, RDZV_ID, MIN/MAX_NNODES,
MAX_RESTARTS), to build its command line: launcher settings, not the project's configuration."""

import os
import subprocess
import sys


def launch() -> None:
    nnodes = os.getenv("NNODES", "1")
    node_rank = os.getenv("NODE_RANK", "0")
    nproc_per_node = os.getenv("NPROC_PER_NODE", "1")
    master_addr = os.getenv("MASTER_ADDR", "127.0.0.1")
    master_port = os.getenv("MASTER_PORT", "29500")
    max_restarts = os.getenv("MAX_RESTARTS", "0")
    rdzv_id = os.getenv("RDZV_ID")
    min_nnodes, max_nnodes = os.getenv("MIN_NNODES"), os.getenv("MAX_NNODES")
    command = ["torchrun", "--nproc-per-node", nproc_per_node]
    if rdzv_id is not None:
        elastic = f"{min_nnodes}:{max_nnodes}" if min_nnodes and max_nnodes else nnodes
        command += ["--nnodes", elastic, "--rdzv-id", rdzv_id, "--rdzv-backend", "c10d"]
        command += ["--rdzv-endpoint", f"{master_addr}:{master_port}", "--max-restarts", max_restarts]
    else:
        command += ["--nnodes", nnodes, "--node-rank", node_rank]
        command += ["--master-addr", master_addr, "--master-port", master_port]
    subprocess.run([*command, "-m", "trainkit.train", *sys.argv[1:]], check=True)
