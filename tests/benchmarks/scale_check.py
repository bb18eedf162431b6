"""Real code at scale without errors (issue 7, item 3): run ``mlaudit check`` over large real code bases
and fail on any internal error, and on any MLA001 for a file that CPython's own parser accepts.

Not collected by pytest (not named ``test_*``) and independent of the test suite. It downloads nothing;
unpack wheels (they hold the ``.py`` sources; sdists often fail to build metadata) into a temporary
folder, never into the repository::

    pip download --no-deps --only-binary :all: pandas scikit-learn transformers -d /tmp/realcode/wheels
    for w in /tmp/realcode/wheels/*.whl; do unzip -q -o "$w" -d "/tmp/realcode/$(basename "$w" .whl)"; done
    # a wheel holds no project metadata: without it the package reads as a vendored copy and is skipped
    for d in /tmp/realcode/*-*/; do n=$(basename "$d" | cut -d- -f1); printf '[project]\nname = "%s"\n' "$n" > "$d/pyproject.toml"; done
    python tests/benchmarks/scale_check.py /tmp/realcode/pandas-* /tmp/realcode/scikit_learn-* --jobs 2

Each corpus runs as its own project (``--isolated``, ``--no-cache``, default rules unless ``--select``).
Printed per corpus: files, lines, wall time, files/s, peak RSS of the whole process tree (sampled from
``/proc`` every 50 ms: the main process plus its pool workers) and of the largest single process, the
MLA001 errors CPython agrees with (expected) and the failures. Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import subprocess
import sys
import threading
import time
import tokenize
from dataclasses import asdict, dataclass, field
from pathlib import Path

EXCLUDE_DIRS = {".git", "__pycache__", ".mlaudit_cache", "build", "dist", ".venv", "venv", "node_modules"}


@dataclass
class Outcome:
    corpus: str
    files: int = 0
    lines: int = 0
    seconds: float = 0.0
    peak_tree_mb: float = 0.0
    peak_process_mb: float = 0.0
    findings: int = 0
    exit_code: int = 0
    expected_errors: list[str] = field(default_factory=list)
    """MLA001 on files CPython rejects as well (Python 2 code, templates): correct."""
    failures: list[str] = field(default_factory=list)


def count_lines(root: Path) -> int:
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in EXCLUDE_DIRS]
        for name in filenames:
            if name.endswith((".py", ".pyi")):
                with open(os.path.join(dirpath, name), "rb") as fh:
                    total += fh.read().count(b"\n")
    return total


def cpython_accepts(path: Path) -> bool:
    """Does this interpreter's own parser accept the file (decoded as CPython would)?"""
    try:
        data = path.read_bytes()
        if path.suffix == ".ipynb":
            return False  # notebooks are not Python files for ast; judged by hand
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        ast.parse(data.decode(encoding))
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError, OSError):
        return False
    return True


def _tree_rss_kb(pid: int) -> tuple[int, int]:
    """(sum, max) of VmRSS over ``pid`` and its descendants, from /proc."""
    total = largest = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as fh:
                rss = next((int(x.split()[1]) for x in fh if x.startswith("VmRSS:")), 0)
            with open(f"/proc/{current}/task/{current}/children") as fh:
                stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
        total += rss
        largest = max(largest, rss)
    return total, largest


def run_corpus(path: Path, args: argparse.Namespace) -> Outcome:
    out = Outcome(corpus=str(path), lines=count_lines(path))
    cmd = [
        sys.executable,
        "-m",
        "mlaudit",
        "check",
        ".",
        "--isolated",
        "--no-cache",
        "--output-format",
        "json",
    ]
    cmd += ["--jobs", str(args.jobs)]
    if args.select:
        cmd += ["--select", args.select]
    if args.timeout:
        cmd += ["--timeout", str(args.timeout)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            total, largest = _tree_rss_kb(proc.pid)
            peaks[0], peaks[1] = max(peaks[0], total), max(peaks[1], largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    out.seconds = round(time.perf_counter() - started, 1)
    out.peak_tree_mb, out.peak_process_mb = round(peaks[0] / 1024), round(peaks[1] / 1024)
    out.exit_code = proc.returncode
    if proc.returncode not in (0, 1) or "Traceback" in stderr:
        out.failures.append(f"exit {proc.returncode}: {stderr.strip()[-2000:]}")
        return out
    report = json.loads(stdout)
    out.files = report["summary"]["files"]
    out.findings = report["summary"]["findings"]
    if report["internal_error"]:
        out.failures.append("internal_error is set")
    for error in report["errors"]:
        where = f"{error['filename']}: [{error['code']}] {error['message']}"
        if error["code"] != "MLA001":
            out.failures.append(where)
        elif cpython_accepts(path / error["filename"]):
            out.failures.append(f"{where}  (CPython accepts this file)")
        else:
            out.expected_errors.append(where)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", type=Path, help="source trees, one corpus each")
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--select", help="rules (default: the default rule set)")
    parser.add_argument("--timeout", type=float, help="per-file time limit, as `mlaudit check --timeout`")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    outcomes = []
    for path in args.paths:  # one at a time: the machine may be shared
        outcome = run_corpus(path.resolve(), args)
        outcomes.append(outcome)
        rate = outcome.files / outcome.seconds if outcome.seconds else 0.0
        print(
            f"{path}: {outcome.files} files, {outcome.lines} lines, {outcome.findings} findings, "
            f"{outcome.seconds} s ({rate:.0f} files/s), peak RSS {outcome.peak_tree_mb} MB "
            f"(largest process {outcome.peak_process_mb} MB), exit {outcome.exit_code}",
            flush=True,
        )
        for line in outcome.expected_errors:
            print(f"  expected MLA001 (CPython rejects it too): {line}")
        for line in outcome.failures:
            print(f"  FAILURE: {line}")
    total_files = sum(o.files for o in outcomes)
    total_lines = sum(o.lines for o in outcomes)
    failures = sum(len(o.failures) for o in outcomes)
    print(f"total: {total_files} files, {total_lines} lines, {failures} failures")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
