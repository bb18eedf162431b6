"""A value computed once and reused: `global` only fills an empty cache (lazy initialisation)."""

from typing import Optional

import yaml

_config: Optional[dict] = None
_tokenizer = None


def load_config(path: str = "config.yaml") -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh) or {}


def get_config() -> dict:
    """The project configuration, loaded on first use."""
    global _config
    if _config is None:
        _config = load_config()
    return _config


def get_tokenizer():
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    from transformers import AutoTokenizer

    _tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
    return _tokenizer
