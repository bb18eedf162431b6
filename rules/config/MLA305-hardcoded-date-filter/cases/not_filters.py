"""Dates that filter nothing, and comparisons against parameters or configuration."""
import logging
from datetime import datetime

import pandas as pd

RELEASE_DATE = "2023-01-01"  # documents the release
log = logging.getLogger(__name__)


def train(frame, cfg, start):
    log.info("training on data since 2023-01-01")
    recent = frame[frame["signup_at"] >= start]
    cut = recent[recent["signup_at"] < cfg.cutoff]
    fresh = cut[cut["signup_at"] > pd.Timestamp.now() - pd.Timedelta(days=30)]
    return fresh.assign(trained_on=datetime(2023, 1, 1).isoformat())


def validate(args):
    if args.start_date < datetime(2000, 1, 1):
        raise SystemExit("start date too early")


def period_label(frame):
    return frame["period"] == "2023-Q1"
