"""Settings read inside functions, where they are needed: one finding for the module, every read in
`related`."""

import os
from os import getenv

import requests


def fetch_scores(user_ids):
    url = os.environ["SCORING_URL"]  # expect: MLA302
    token = os.environ.get("SCORING_TOKEN", "")
    timeout = float(getenv("SCORING_TIMEOUT", "2.5"))
    return requests.post(url, json=user_ids, headers={"Authorization": token}, timeout=timeout)


def batch_size():
    return int(os.getenv("BATCH_SIZE", "128"))
