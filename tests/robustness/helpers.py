"""Shared helpers of the robustness tests: run the real CLI on a generated project and read its JSON
report; privileges (the suite may run as root, which ignores file permissions)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import run_cli

COMPANION = {"other.py": "y = 2  # mlaudit: ignore[parse-error]\n"}
"""A well-formed file with one known finding (MLA002 at 1:8): proof that the rest of the project was
still analysed next to a bad file."""


@dataclass
class Run:
    code: int
    report: dict[str, Any] | None
    stdout: str
    stderr: str

    @property
    def errors(self) -> dict[str, str]:
        """filename -> message of each file that could not be analysed."""
        assert self.report is not None
        return {e["filename"]: e["message"] for e in self.report["errors"]}

    def findings(self, filename: str | None = None) -> list[tuple[str, str, int, int]]:
        """(code, filename, row, column) of the findings, optionally of one file."""
        assert self.report is not None
        return [
            (f["code"], f["filename"], f["location"]["row"], f["location"]["column"])
            for f in self.report["findings"]
            if filename is None or f["filename"] == filename
        ]

    @property
    def companion_analysed(self) -> bool:
        return ("MLA002", "other.py", 1, 8) in self.findings("other.py")


def audit(
    root: Path,
    *args: str,
    isolated: bool = True,
    fmt: str = "json",
    timeout: float = 120,
    prefix: list[str] | None = None,
    env: dict[str, str] | None = None,
    cache: bool = False,
) -> Run:
    """``mlaudit check .`` in ``root`` as a real process (JSON report, fail-on error, so that exit 1
    means a file could not be analysed; no cache unless ``cache``). Never a traceback, whatever the input."""
    cli = ["check", ".", "--output-format", fmt, "--fail-on", "error", *args]
    if not cache:
        cli.append("--no-cache")
    if isolated:
        cli.append("--isolated")
    if prefix:
        full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "mlaudit", *cli],
            cwd=root,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    else:
        proc = run_cli(*cli, cwd=root, env=env, timeout=timeout)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    report = json.loads(proc.stdout) if fmt == "json" and proc.stdout.strip() else None
    return Run(proc.returncode, report, proc.stdout, proc.stderr)


def drop_dac_prefix() -> list[str] | None:
    """A command prefix that removes root's power to ignore file permissions (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH), so an unreadable file is unreadable even under root; ``[]`` when not root;
    None when it is impossible here (the caller skips)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def tree_digest(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Relative path -> sha256 of content plus mode and mtime, for every entry under ``root``
    (directories included, so a created empty directory is a change too)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skip):
            continue
        st = path.lstat()
        content = b"" if path.is_dir() or path.is_symlink() else path.read_bytes()
        out[rel] = hashlib.sha256(content + f"{st.st_mode}:{st.st_mtime_ns}".encode()).hexdigest()
    return out
