"""The fix descriptions of a plain ``check``'s JSON or SARIF report, kept in the cache folder.

Describing a finding's fix (``autofix.describe``) parses its file with libcst and asks the fix for a
proposal; a proposal may read other files of the project (MLA202's callers, MLA701's other sites,
which files mention a name). So the descriptions are stored for the whole report, keyed by everything
they are computed from: mlaudit's code, the settings, the rules' names, every project file's path,
module and content, and every finding as reported (before its ``fix`` is filled). A warm run whose key
matches reads them back (one file, no parse, no codemod imported); anything else describes again and
replaces the stored copy. A damaged or foreign file is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mlaudit import __version__
from mlaudit.config.loader import LoadedConfig
from mlaudit.engine.atomic import atomic_write
from mlaudit.engine.discovery import DiscoveryError, discover
from mlaudit.engine.manifest import package_stats
from mlaudit.model import Fix, Report

FILE = "fixes.json"
FORMAT = 1


def describe(
    report: Report,
    *,
    loaded: LoadedConfig,
    rules: Iterable[type],
    cache_root: Path | None,
    compute: Callable[[], None],
) -> None:
    """Fill the findings' ``fix`` fields from the cache when nothing they depend on changed, else by
    ``compute()`` (``autofix.describe``), storing the result for the next run."""
    if cache_root is None:
        compute()
        return
    key = description_key(report, loaded, rules)
    path = cache_root / __version__ / FILE
    stored = _read(path, key, len(report.findings))
    if stored is not None:
        for finding, fix in zip(report.findings, stored, strict=True):
            finding.fix = fix
        return
    compute()
    doc = {
        "format": FORMAT,
        "key": key,
        "fixes": [f.fix.model_dump(mode="json") if f.fix is not None else None for f in report.findings],
    }
    with contextlib.suppress(OSError):
        _write(path, json.dumps(doc).encode())


def description_key(report: Report, loaded: LoadedConfig, rules: Iterable[type]) -> str:
    root = loaded.root
    try:
        files = {f.rel: f.module for f in discover([root], root, loaded.settings).files}
    except DiscoveryError:
        files = {}
    named = {f.filename for f in report.findings} | {r.filename for f in report.findings for r in f.related}
    contents = [[rel, files.get(rel), _digest(root / rel)] for rel in sorted(set(files) | named)]
    parts = [
        FORMAT,
        __version__,
        package_stats(),
        str(root),
        loaded.settings.model_dump(mode="json", by_alias=True),
        sorted(f"{r.code}:{r.name}" for r in rules),  # type: ignore[attr-defined]
        contents,
        [f.model_dump(mode="json") for f in report.findings],
        sorted(e.filename for e in report.errors),
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read(path: Path, key: str, count: int) -> list[Fix | None] | None:
    """The stored fixes when they were computed for ``key``; None for a miss (missing, damaged, other)."""
    try:
        doc: Any = json.loads(path.read_bytes())
        if doc["format"] != FORMAT or doc["key"] != key or len(doc["fixes"]) != count:
            return None
        return [None if fix is None else Fix.model_validate(fix) for fix in doc["fixes"]]
    except (OSError, ValueError, TypeError, KeyError):  # pydantic's ValidationError is a ValueError
        return None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)
