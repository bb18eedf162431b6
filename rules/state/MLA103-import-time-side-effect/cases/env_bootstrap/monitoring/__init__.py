"""Reads optional credentials into the environment when the package is imported (``load_dotenv`` by
hand): process set-up, not data loading: quiet."""

import json
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

REPO_DIR = Path(__file__).parent.parent

if Path(REPO_DIR / "secrets.json").exists():
    logger.info("Reading secrets into environment variables...")
    secrets = json.loads(Path(REPO_DIR / "secrets.json").read_text())
    for k, v in secrets.items():
        os.environ[k] = v
