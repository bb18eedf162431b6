"""Measure the checkouts of the real-world corpus: commit, Python files and lines.

    python tests/benchmarks/realworld/measure.py [--corpus DIR] [--repos a,b]

Prints one ``[[repo]]`` table per checkout (name, commit, python_files, notebooks, lines) for
the manifest, and warns where a checkout differs from ``manifest.toml``. ``lines`` counts every
line of the ``.py`` files tracked by git plus the lines of the code cells of tracked notebooks
(what mlaudit analyses, before its excludes): the denominator of "findings per kLOC".

This is a maintenance script, not a test; it does not import mlaudit.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.toml"
DEFAULT_CORPUS = Path("/work/corpus")


@dataclass(frozen=True)
class Size:
    commit: str
    python_files: int
    notebooks: int
    lines: int


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def notebook_lines(path: Path) -> int:
    """Lines of the code cells of a notebook (0 if it is not valid JSON)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return 0
    total = 0
    for cell in data.get("cells", []) if isinstance(data, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            total += len(text.splitlines())
    return total


def measure(repo: Path) -> Size:
    tracked = [p for p in git(repo, "ls-files", "-z").split("\0") if p]
    py = [repo / p for p in tracked if p.endswith(".py") and (repo / p).is_file()]
    nbs = [repo / p for p in tracked if p.endswith(".ipynb") and (repo / p).is_file()]
    lines = sum(len(p.read_bytes().splitlines()) for p in py)
    lines += sum(notebook_lines(p) for p in nbs)
    return Size(git(repo, "rev-parse", "HEAD").strip(), len(py), len(nbs), lines)


def load_manifest(path: Path = MANIFEST) -> list[dict[str, object]]:
    with path.open("rb") as fh:
        return list(tomllib.load(fh).get("repo", []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--repos", default="", help="comma-separated names (default: all in the manifest)")
    args = parser.parse_args(argv)
    entries = {str(e["name"]): e for e in load_manifest(args.manifest)} if args.manifest.exists() else {}
    names = [n for n in args.repos.split(",") if n] or list(entries)
    for name in names:
        size = measure(args.corpus / name)
        entry = entries.get(name, {})
        for key, value in (
            ("commit", size.commit),
            ("python_files", size.python_files),
            ("lines", size.lines),
        ):
            if entry and entry.get(key) != value:
                print(f"warning: {name}: {key} is {value}, manifest says {entry.get(key)}", file=sys.stderr)
        print(f'[[repo]]\nname = "{name}"\ncommit = "{size.commit}"')
        print(f"python_files = {size.python_files}\nnotebooks = {size.notebooks}\nlines = {size.lines}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
