"""Reading the rule catalogue (``rules/<family>/<CODE>-<name>/``) for the tests.

``bad.py`` (or a multi-file ``bad/``) marks every line that must be reported with ``# expect: CODE``
(several codes: ``# expect: MLA201, MLA303``); ``good.py``/``good/`` and every file in ``cases/``
must be clean. A folder may hold ``mlaudit.toml`` to configure its examples.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mlaudit import api
from mlaudit.engine.source import read_source
from mlaudit.model import Report

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO / "rules"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{2,5}[0-9]{3}(?:\s*,\s*[A-Z]{2,5}[0-9]{3})*)")
REQUIRED_HEADINGS = (
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Options",
    "## References",
)


@dataclass(frozen=True)
class Entry:
    folder: Path
    family: str
    code: str
    name: str

    @property
    def id(self) -> str:
        return f"{self.code}-{self.name}"

    def config(self) -> Path | None:
        path = self.folder / "mlaudit.toml"
        return path if path.is_file() else None


def entries() -> list[Entry]:
    out = []
    for folder in sorted(CATALOGUE.glob("*/*")):
        if not folder.is_dir():
            continue
        code, _, name = folder.name.partition("-")
        out.append(Entry(folder, folder.parent.name, code, name))
    return out


def expected(path: Path) -> set[tuple[str, int | None, int, str]]:
    """(filename relative to the example root, cell, row, code) for every ``# expect:`` marker."""
    base = path if path.is_dir() else path.parent
    files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".ipynb")) if path.is_dir() else [path]
    out = set()
    for file in files:
        src = read_source(file.read_bytes(), notebook=file.suffix == ".ipynb")
        rel = file.relative_to(base).as_posix()
        for i, line in enumerate(src.text.splitlines(), start=1):
            m = EXPECT.search(line)
            if m:
                cell, row = src.map.locate(i)
                for code in re.split(r"\s*,\s*", m.group(1)):
                    out.add((rel, cell, row, code))
    return out


def run(entry: Entry, target: Path, select: list[str]) -> Report:
    """Run from the example's folder (``bad/`` or the rule folder), as a user of that project would."""
    options = api.CheckOptions(
        config_path=entry.config(),
        isolated=entry.config() is None,
        overrides={"select": (*select, "MLA0")},
        jobs=1,
        no_cache=True,
        # Each example is a project of its own, not a part of the repository that holds the catalogue.
        root=None if entry.config() else (target if target.is_dir() else target.parent),
    )
    with _cwd(target if target.is_dir() else target.parent):
        return api.check([target], options)


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def reported(report: Report) -> set[tuple[str, int | None, int, str]]:
    return {(f.filename, f.cell, f.location.row, f.code) for f in report.findings}
