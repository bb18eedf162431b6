"""One of several independent example deployments: it imports nothing of the others. That another sample
has a module named `utils/logging.py` does not make `import logging` (the standard library) a link between
programs (rules.md v2, "Programs")."""

import logging
import os

from azure.storage.blob import BlobClient


def init():
    global blob
    logging.info("loading")
    blob = BlobClient(os.getenv("STORAGE_ACCOUNT_NAME"), "models", "model.pkl")


def run(raw_data):
    return blob.download_blob().readall()
