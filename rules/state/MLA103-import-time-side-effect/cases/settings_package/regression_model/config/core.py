"""A settings module that parses its own bundled config file at import: the settings-singleton
pattern (a data set or model loaded here at import is still reported)."""

from pathlib import Path

from pydantic import BaseModel
from strictyaml import load

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE_PATH = PACKAGE_ROOT / "config.yml"

with open(PACKAGE_ROOT / "VERSION") as version_file:
    _version = version_file.read().strip()

MODEL_FILE_NAME = f"model_{_version}.pkl"


class Config(BaseModel):
    package_name: str
    target: str


def fetch_config_from_yaml(cfg_path: Path = CONFIG_FILE_PATH):
    with open(cfg_path) as conf_file:
        return load(conf_file.read())


def create_and_validate_config() -> Config:
    return Config(**fetch_config_from_yaml().data)


config = create_and_validate_config()
RAW_DEFAULTS = open(CONFIG_FILE_PATH).read()
