"""A helper that reads a variable named by its caller is the configuration accessor itself."""

import os


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes")
