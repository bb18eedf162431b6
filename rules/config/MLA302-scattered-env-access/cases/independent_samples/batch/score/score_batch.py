"""Another independent sample deployment reading the same variable name: a program of its own."""

import logging
import os

from azure.storage.blob import BlobClient


def init():
    global blob
    logging.info("loading")
    blob = BlobClient(os.getenv("STORAGE_ACCOUNT_NAME"), "outputs", "scores.csv")


def run(mini_batch):
    return [blob.upload_blob(open(path, "rb")) for path in mini_batch]
