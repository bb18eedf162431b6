"""Module-level calls that do no I/O: pure constructors, parsing literals, lazy clients, logging."""

import json
import logging
import os

import boto3
import numpy as np
import pandas as pd
import requests
import sqlalchemy
import yaml

logger = logging.getLogger(__name__)
DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
SCHEMA = json.loads('{"age": "int"}')
DEFAULTS = yaml.safe_load("fill: 0.0")
EMPTY = pd.DataFrame({"age": []})
GRID = np.linspace(0.0, 1.0, 11)
CSV_TEXT = EMPTY.to_csv()  # no path: returns a string
SESSION = requests.Session()  # connects on first use
ENGINE = sqlalchemy.create_engine("sqlite://")  # connects on first use
S3 = boto3.client("s3")


def read(name):
    return pd.read_csv(os.path.join(DATA_DIR, name))
