"""A config module: reading the environment is its job."""

import os

SCORING_URL = os.environ.get("SCORING_URL", "http://localhost:8000/score")
DATA_DIR = os.getenv("DATA_DIR", "data")
DEBUG = os.environ["DEBUG"] == "1"
