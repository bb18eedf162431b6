"""The version-file idiom: reading the package's VERSION file into ``__version__`` is packaging."""

import logging

from regression_model.config.core import PACKAGE_ROOT, config

logging.getLogger(config.package_name).addHandler(logging.NullHandler())

with open(PACKAGE_ROOT / "VERSION") as version_file:
    __version__ = version_file.read().strip()
