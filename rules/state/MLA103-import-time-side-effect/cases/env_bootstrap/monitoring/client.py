import os

import requests

from monitoring import logger


def send(metrics):
    logger.info("sending %d metrics", len(metrics))
    return requests.post(os.environ["MONITORING_URL"], json=metrics, timeout=10)
