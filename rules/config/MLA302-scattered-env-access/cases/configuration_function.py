"""A configuration function (named for its job: `configure`, `get_config`, `load_settings`) is where the
settings are read: it is the configuration site the rule asks for, not a scattered read."""

import os


def get_config() -> dict[str, str]:
    return {
        "bucket": os.environ.get("ARTIFACT_BUCKET", "models"),
        "region": os.environ.get("ARTIFACT_REGION", "eu-west-1"),
    }


def configure_logging() -> str:
    return os.getenv("LOG_LEVEL", "INFO")
