"""An environment value as the fallback of a parameter the caller did not give: the function takes the value
as a parameter; the environment only fills the gap (a CLI argument's default, a logger's log directory)."""

import argparse
import os
import tempfile


def configure_output(log_dir=None, formats=None, rank=0):
    if log_dir is None:
        log_dir = os.getenv("OPENAI_LOGDIR")
    if log_dir is None:
        log_dir = tempfile.gettempdir()
    if formats is None:
        if rank == 0:
            formats = os.getenv("OPENAI_LOG_FORMAT", "stdout,log,csv").split(",")
        else:
            formats = os.getenv("OPENAI_LOG_FORMAT_MPI", "log").split(",")
    return log_dir, formats


def connect(url=None, token=None):
    url = url or os.environ.get("SCORING_URL", "http://localhost:8000")
    token = os.environ["SCORING_TOKEN"] if token is None else token
    return url, token


def parse_args(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-model", default=os.environ.get("BASE_MODEL", ""))
    return parser.parse_args(argv)
