"""Per-rule precision of a run over the real-world corpus, from the hand-made labels.

    python tests/benchmarks/realworld/precision.py DIR/findings.jsonl [--labels DIR]
           [--sample N --seed S] [--rules MLA103,MLA201] [--show-unlabelled] [--markdown]

``findings.jsonl`` comes from ``run.py``. Labels are every ``labels/*.json`` file: a JSON list of
``{"repo", "commit", "code", "path", "row", "verdict": "tp"|"fp", "reason"}`` (optional ``"cell"``
for a notebook finding: the cell number ``run.py`` records). Several files so that reviewers of
different rules each commit their own. A finding and a label match on (repo, code, path, cell, row);
several findings on one key share its verdict. When two labels of one key disagree, the later file
(in file-name order, over all folders) wins and a warning is printed.

Prints, per rule: findings, labelled, tp, fp, precision (tp / labelled), unlabelled; then the
unlabelled findings (all with ``--show-unlabelled``, or a seeded random sample of ``--sample N`` per
rule to review next) and the labelled true findings (tp) that the run no longer reports, for the
repositories the run covered (recall regressions). Exit code 0; this is a report, not a gate.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels"

Key = tuple[str, str, str, int | None, int]
"""(repo, code, path, cell, row)."""


def key_of(item: dict[str, Any]) -> Key:
    cell = item.get("cell")
    return (
        str(item["repo"]),
        str(item["code"]),
        str(item["path"]),
        None if cell is None else int(cell),
        int(item["row"]),
    )


def load_findings(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_labels(*folders: Path) -> tuple[dict[Key, dict[str, Any]], list[str]]:
    """Labels by key from every ``*.json`` of ``folders``, and warnings (bad verdicts, conflicts)."""
    labels: dict[Key, dict[str, Any]] = {}
    warnings: list[str] = []
    files = sorted({f.resolve() for folder in folders for f in folder.glob("*.json")}, key=lambda f: f.name)
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            warnings.append(f"{file.name}: not a JSON list, skipped")
            continue
        for index, item in enumerate(data):
            if item.get("verdict") not in ("tp", "fp"):
                warnings.append(f"{file.name}[{index}]: verdict must be 'tp' or 'fp', skipped")
                continue
            key = key_of(item)
            previous = labels.get(key)
            if previous is not None and previous["verdict"] != item["verdict"]:
                warnings.append(
                    f"{file.name}[{index}]: {key} was {previous['verdict']} in {previous['_file']}"
                )
            labels[key] = {**item, "_file": file.name}
    return labels, warnings


@dataclass
class RuleStats:
    code: str
    findings: int = 0
    tp: int = 0
    fp: int = 0

    @property
    def labelled(self) -> int:
        return self.tp + self.fp

    @property
    def unlabelled(self) -> int:
        return self.findings - self.labelled

    @property
    def precision(self) -> float | None:
        return self.tp / self.labelled if self.labelled else None


def rule_stats(findings: Iterable[dict[str, Any]], labels: dict[Key, dict[str, Any]]) -> dict[str, RuleStats]:
    stats: dict[str, RuleStats] = {}
    for finding in findings:
        code = str(finding["code"])
        entry = stats.setdefault(code, RuleStats(code))
        entry.findings += 1
        label = labels.get(key_of(finding))
        if label is None:
            continue
        if label["verdict"] == "tp":
            entry.tp += 1
        else:
            entry.fp += 1
    return dict(sorted(stats.items()))


def unlabelled(findings: Iterable[dict[str, Any]], labels: dict[Key, dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if key_of(f) not in labels]


def lost_true_findings(
    findings: Iterable[dict[str, Any]],
    labels: dict[Key, dict[str, Any]],
    repos: set[str],
    codes: set[str] | None,
) -> list[dict[str, Any]]:
    """Labelled tp of the repositories run (and rules selected) that no finding matches any more."""
    present = {key_of(f) for f in findings}
    return [
        label
        for key, label in sorted(labels.items(), key=lambda kv: tuple(map(str, kv[0])))
        if label["verdict"] == "tp"
        and key[0] in repos
        and (codes is None or key[1] in codes)
        and key not in present
    ]


def sample_per_rule(items: Sequence[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    """Up to ``n`` items per rule, a seeded random choice (stable for a given input order)."""
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_code[str(item["code"])].append(item)
    rng = random.Random(seed)
    chosen: list[dict[str, Any]] = []
    for code in sorted(by_code):
        group = by_code[code]
        chosen += group if len(group) <= n else rng.sample(group, n)
    return chosen


def format_precision(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def precision_table(stats: dict[str, RuleStats]) -> list[str]:
    out = [
        "| rule | findings | labelled | tp | fp | precision | unlabelled |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = RuleStats("all")
    for s in stats.values():
        out.append(
            f"| {s.code} | {s.findings} | {s.labelled} | {s.tp} | {s.fp} | "
            f"{format_precision(s.precision)} | {s.unlabelled} |"
        )
        total.findings += s.findings
        total.tp += s.tp
        total.fp += s.fp
    out.append(
        f"| **all** | {total.findings} | {total.labelled} | {total.tp} | {total.fp} | "
        f"{format_precision(total.precision)} | {total.unlabelled} |"
    )
    return out


def describe(item: dict[str, Any]) -> str:
    cell = f" cell {item['cell']}" if item.get("cell") is not None else ""
    text = item.get("message") or item.get("reason") or ""
    return f"{item['repo']} {item['path']}{cell}:{item['row']} {item['code']} {text}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("findings", type=Path, help="findings.jsonl written by run.py")
    parser.add_argument(
        "--labels",
        type=Path,
        action="append",
        help="folder of *.json label files (repeatable; default: labels/)",
    )
    parser.add_argument("--rules", default="", help="comma-separated codes to report (default: all)")
    parser.add_argument("--sample", type=int, default=0, help="list N unlabelled findings per rule")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show-unlabelled", action="store_true", help="list every unlabelled finding")
    parser.add_argument("--json", action="store_true", help="print the sample as JSON lines (to label)")
    args = parser.parse_args(argv)
    codes = {c for c in args.rules.split(",") if c} or None
    findings = [f for f in load_findings(args.findings) if codes is None or f["code"] in codes]
    labels, warnings = load_labels(*(args.labels or [LABELS]))
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    repos = {str(f["repo"]) for f in findings}
    run_codes = codes
    run_json = args.findings.parent / "run.json"
    if run_json.exists():
        meta = json.loads(run_json.read_text(encoding="utf-8"))
        repos |= {str(r["name"]) for r in meta["repos"]}
        if codes is None and meta.get("rules"):
            # Tp of rules the run did not check (opt-in rules in a default run) are not lost.
            run_codes = {str(c) for c in meta["rules"]}
        elif meta.get("select") and codes is None:
            print(
                f"note: the run used --select {meta['select']}; pass --rules to limit the lost-findings check",
                file=sys.stderr,
            )
    print("\n".join(precision_table(rule_stats(findings, labels))))
    todo = unlabelled(findings, labels)
    listed = (
        sample_per_rule(todo, args.sample, args.seed)
        if args.sample
        else (todo if args.show_unlabelled else [])
    )
    if listed:
        print(f"\nUnlabelled findings ({len(listed)} of {len(todo)}):")
        for item in listed:
            print(json.dumps(item, sort_keys=True) if args.json else f"  {describe(item)}")
    lost = lost_true_findings(findings, labels, repos, run_codes)
    print(f"\nLabelled true findings no longer reported: {len(lost)}")
    for item in lost:
        print(f"  {describe(item)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
