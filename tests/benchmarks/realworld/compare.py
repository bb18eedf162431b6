"""Compare two runs of ``run.py`` (e.g. before and after a change): findings per rule and per kLOC.

    python tests/benchmarks/realworld/compare.py BEFORE_DIR AFTER_DIR

Each directory holds the ``findings.jsonl`` and ``run.json`` that ``run.py`` wrote. kLOC is taken
from the repositories of each run (``lines`` of the manifest, recorded in ``run.json``); compare
runs over the same repositories. Prints one row per rule: findings before and after, per kLOC
before and after, and the change.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    by_code: Counter[str]
    lines: int
    repos: frozenset[str]


def load_run(folder: Path) -> Run:
    meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    with (folder / "findings.jsonl").open(encoding="utf-8") as fh:
        codes = Counter(str(json.loads(line)["code"]) for line in fh if line.strip())
    repos = meta["repos"]
    return Run(codes, sum(int(r["lines"]) for r in repos), frozenset(str(r["name"]) for r in repos))


def per_kloc(count: int, lines: int) -> float:
    return 1000.0 * count / lines if lines else 0.0


def compare_rows(before: Run, after: Run) -> list[tuple[str, int, int, float, float]]:
    """(rule, findings before, findings after, per kLOC before, per kLOC after), 'all' last."""
    rows = [
        (
            code,
            before.by_code[code],
            after.by_code[code],
            per_kloc(before.by_code[code], before.lines),
            per_kloc(after.by_code[code], after.lines),
        )
        for code in sorted(set(before.by_code) | set(after.by_code))
    ]
    total_before, total_after = sum(before.by_code.values()), sum(after.by_code.values())
    rows.append(
        (
            "all",
            total_before,
            total_after,
            per_kloc(total_before, before.lines),
            per_kloc(total_after, after.lines),
        )
    )
    return rows


def table(before: Run, after: Run) -> list[str]:
    out = [
        f"Before: {len(before.repos)} repositories, {before.lines / 1000:.1f} kLOC; "
        f"after: {len(after.repos)} repositories, {after.lines / 1000:.1f} kLOC.",
        "",
        "| rule | findings before | findings after | per kLOC before | per kLOC after | change |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for code, b, a, kb, ka in compare_rows(before, after):
        change = f"{100 * (a - b) / b:+.0f}%" if b else ("new" if a else "-")
        name = f"**{code}**" if code == "all" else code
        out.append(f"| {name} | {b} | {a} | {kb:.2f} | {ka:.2f} | {change} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="folder of the first run")
    parser.add_argument("after", type=Path, help="folder of the second run")
    args = parser.parse_args(argv)
    before, after = load_run(args.before), load_run(args.after)
    if before.repos != after.repos:
        print(f"warning: the runs cover different repositories: {sorted(before.repos ^ after.repos)}")
    print("\n".join(table(before, after)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
