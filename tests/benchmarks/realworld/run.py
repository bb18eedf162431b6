"""Run mlaudit over every checkout of the real-world corpus and tabulate the findings per rule.

    python tests/benchmarks/realworld/run.py --out DIR [--corpus /work/corpus] [--repos a,b]
                                             [--select MLA103,MLA201] [--jobs N]

For each repository of ``manifest.toml`` (or of ``--repos``) this runs ``python -m mlaudit check .
--output-format json --exit-zero --no-cache`` in a fresh subprocess with the current interpreter
(so: the mlaudit of the current environment), inside ``<corpus>/<name>``, and warns when the
checkout is not at the pinned commit. It writes

- ``DIR/findings.jsonl``: one finding a line (repo, commit, code, path, cell, row, column, message,
  end_row, related);
  ``cell`` is the notebook cell (``null`` in ``.py`` files), ``row`` is 1-based within it;
- ``DIR/run.json``: the repositories run, their commits, files, findings, errors and times;
- ``DIR/table.md`` (also printed): findings per rule, per kLOC of the repositories run, and the
  time and findings per repository.

Labels and precision: see ``precision.py``. This is a benchmark script, not a test (pytest does
not collect it: its name does not match ``test_*.py``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.toml"
DEFAULT_CORPUS = Path("/work/corpus")


@dataclass
class RepoRun:
    name: str
    commit: str
    pinned: str
    kind: str
    lines: int
    seconds: float = 0.0
    files: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    errors: int = 0
    failure: str = ""
    """Why mlaudit produced no report (bad exit code, no JSON); empty when it ran."""


def load_manifest(path: Path = MANIFEST) -> list[dict[str, Any]]:
    with path.open("rb") as fh:
        return list(tomllib.load(fh).get("repo", []))


def head_commit(repo: Path) -> str:
    proc = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def mlaudit_command(select: str, jobs: int | None) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "mlaudit",
        "check",
        ".",
        "--output-format",
        "json",
        "--exit-zero",
        "--no-cache",
    ]
    if select:
        cmd += ["--select", select]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return cmd


def rules_run(select: str, catalogue: list[dict[str, Any]]) -> list[str]:
    """Codes of the rules a run checks: those ``select`` names (by code prefix), else the default ones."""
    selectors = [s.strip() for s in select.split(",") if s.strip()]
    return sorted(
        str(rule["code"])
        for rule in catalogue
        if (any(str(rule["code"]).startswith(s) for s in selectors) if selectors else rule["default_enabled"])
    )


def rule_catalogue() -> list[dict[str, Any]]:
    cmd = [sys.executable, "-m", "mlaudit", "rules", "--output-format", "json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return list(json.loads(proc.stdout))


def finding_record(repo: str, commit: str, raw: dict[str, Any]) -> dict[str, Any]:
    location = raw.get("location") or {}
    return {
        "repo": repo,
        "commit": commit,
        "code": raw.get("code"),
        "path": raw.get("filename"),
        "cell": raw.get("cell"),
        "row": location.get("row"),
        "column": location.get("column"),
        "message": raw.get("message"),
        "end_row": (raw.get("end_location") or {}).get("row"),
        "related": [related_site(r) for r in raw.get("related") or []],
    }


def related_site(raw: dict[str, Any]) -> str:
    """``path[#cell]:row: message`` of a related location (for review; not part of the label key)."""
    cell = f"#{raw['cell']}" if raw.get("cell") is not None else ""
    return f"{raw.get('filename')}{cell}:{(raw.get('location') or {}).get('row')}: {raw.get('message', '')}"


def run_repo(entry: dict[str, Any], corpus: Path, select: str, jobs: int | None) -> RepoRun:
    name = str(entry["name"])
    path = corpus / name
    run = RepoRun(
        name=name,
        commit=head_commit(path) if path.is_dir() else "",
        pinned=str(entry.get("commit", "")),
        kind=str(entry.get("kind", "")),
        lines=int(entry.get("lines", 0)),
    )
    if not path.is_dir():
        run.failure = f"no checkout at {path}"
        return run
    if run.commit != run.pinned:
        print(f"warning: {name} is at {run.commit or '?'}, the manifest pins {run.pinned}", file=sys.stderr)
    started = time.perf_counter()
    proc = subprocess.run(mlaudit_command(select, jobs), cwd=path, capture_output=True, text=True)
    run.seconds = time.perf_counter() - started
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        run.failure = f"exit {proc.returncode}: {tail}"
        return run
    run.files = int(report.get("summary", {}).get("files", 0))
    run.errors = len(report.get("errors", []))
    run.findings = [finding_record(name, run.commit, f) for f in report.get("findings", [])]
    if proc.returncode != 0:
        run.failure = f"exit {proc.returncode}"
    return run


def per_kloc(count: int, lines: int) -> float:
    return 1000.0 * count / lines if lines else 0.0


def rule_table(runs: list[RepoRun]) -> list[str]:
    lines = sum(r.lines for r in runs)
    by_code: Counter[str] = Counter(f["code"] for r in runs for f in r.findings)
    repos_by_code: Counter[str] = Counter(code for r in runs for code in {f["code"] for f in r.findings})
    out = [
        f"Per rule ({len(runs)} repositories, {lines / 1000:.1f} kLOC):",
        "",
        "| rule | findings | per kLOC | repositories |",
        "| --- | ---: | ---: | ---: |",
    ]
    for code in sorted(by_code):
        out.append(
            f"| {code} | {by_code[code]} | {per_kloc(by_code[code], lines):.2f} | {repos_by_code[code]} |"
        )
    total = sum(by_code.values())
    out.append(f"| **all** | {total} | {per_kloc(total, lines):.2f} | {sum(1 for r in runs if r.findings)} |")
    return out


def repo_table(runs: list[RepoRun]) -> list[str]:
    out = [
        "Per repository:",
        "",
        "| repository | kind | kLOC | files | findings | per kLOC | errors | time (s) | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        note = r.failure or ("" if r.commit == r.pinned else f"not at pinned commit ({r.commit[:10]})")
        out.append(
            f"| {r.name} | {r.kind} | {r.lines / 1000:.1f} | {r.files} | {len(r.findings)} | "
            f"{per_kloc(len(r.findings), r.lines):.2f} | {r.errors} | {r.seconds:.1f} | {note} |"
        )
    total_time = sum(r.seconds for r in runs)
    out.append(
        f"| **all** | | {sum(r.lines for r in runs) / 1000:.1f} | {sum(r.files for r in runs)} | "
        f"{sum(len(r.findings) for r in runs)} | | {sum(r.errors for r in runs)} | {total_time:.1f} | |"
    )
    return out


def write_outputs(out: Path, runs: list[RepoRun], select: str, rules: list[str]) -> str:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "findings.jsonl").open("w", encoding="utf-8") as fh:
        for r in runs:
            for f in r.findings:
                fh.write(json.dumps(f, sort_keys=True) + "\n")
    meta = {
        "select": select,
        "rules": rules,
        "repos": [
            {
                "name": r.name,
                "commit": r.commit,
                "pinned": r.pinned,
                "files": r.files,
                "lines": r.lines,
                "findings": len(r.findings),
                "errors": r.errors,
                "seconds": round(r.seconds, 2),
                "failure": r.failure,
            }
            for r in runs
        ],
    }
    (out / "run.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    text = "\n".join([*rule_table(runs), "", *repo_table(runs)]) + "\n"
    (out / "table.md").write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of the checkouts")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for findings.jsonl, run.json, table.md"
    )
    parser.add_argument("--repos", default="", help="comma-separated names (default: every repository)")
    parser.add_argument("--select", default="", help="passed to mlaudit check --select")
    parser.add_argument("--jobs", type=int, default=None, help="passed to mlaudit check --jobs")
    args = parser.parse_args(argv)
    entries = load_manifest(args.manifest)
    wanted = [n for n in args.repos.split(",") if n]
    unknown = sorted(set(wanted) - {str(e["name"]) for e in entries})
    if unknown:
        parser.error(f"not in the manifest: {', '.join(unknown)}")
    runs = []
    for entry in entries:
        if wanted and entry["name"] not in wanted:
            continue
        run = run_repo(entry, args.corpus, args.select, args.jobs)
        status = run.failure or f"{len(run.findings)} findings"
        print(f"{run.name}: {run.files} files, {status}, {run.seconds:.1f}s", file=sys.stderr)
        runs.append(run)
    print(write_outputs(args.out, runs, args.select, rules_run(args.select, rule_catalogue())), end="")
    return 1 if any(r.failure for r in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
