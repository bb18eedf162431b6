"""Configuration: the ``[tool.mlaudit]`` model and its discovery."""

from mlaudit.config.loader import ConfigError, LoadedConfig, find_config, load_settings
from mlaudit.config.schema import Settings

__all__ = ["ConfigError", "LoadedConfig", "Settings", "find_config", "load_settings"]
