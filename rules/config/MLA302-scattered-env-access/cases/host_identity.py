"""The host's name (HOSTNAME on Unix, COMPUTERNAME on Windows) shown in a UI title: the operating system
sets it, nobody configures it."""

import os
import platform


def page_title(demo: bool = False) -> str:
    hostname = os.getenv("HOSTNAME", os.getenv("COMPUTERNAME", platform.node())).split(".")[0]
    return f"Demo ({hostname})" if demo else f"Board ({hostname})"


def cache_root() -> str:
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME", "~/.cache")
    return os.path.join(base, "board", os.environ.get("USERNAME", os.environ.get("USER", "")))
