"""A logging verbosity read where the library's logger is set up (the transformers-style `logging.py`) and a
debug switch read where the diagnostic runs: a diagnostic toggle at its one configuration site, not hidden
configuration. (Read in two modules, a verbosity is still reported: two parses of one level disagree.)"""

import logging
import os

_default_log_level = logging.INFO


def _get_default_logging_level() -> int:
    env_level_str = os.getenv("TRAINKIT_VERBOSITY", None)
    if env_level_str:
        if env_level_str.upper() in logging._nameToLevel:
            return logging._nameToLevel[env_level_str.upper()]
        raise ValueError(f"Unknown logging level: {env_level_str}.")
    return _default_log_level


class Muon:
    def _diag(self, grad_shape: tuple[int, ...]) -> None:
        """Print once the shapes needed to debug the sharded update; opt in with TRAINKIT_MUON_DIAG=1."""
        if os.environ.get("TRAINKIT_MUON_DIAG") != "1":
            return
        print("[muon diag]", grad_shape, os.getenv("TRAINKIT_DEBUG_RANKS", "0"))
