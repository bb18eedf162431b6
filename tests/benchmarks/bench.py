"""Benchmark mlaudit against the libcst parse floor, pylint and ruff on real source trees.

Not collected by pytest. It downloads nothing: pass source folders, e.g.

    pip download --no-deps --only-binary :all: scikit-learn && unzip -q scikit_learn-*.whl -d /tmp/sk
    python tests/benchmarks/bench.py /tmp/sk/sklearn --jobs 2

(an sdist works too: ``pip download --no-deps --no-binary :all: NAME`` when its build requirements are
available). For each corpus it prints files, lines, mlaudit cold and warm wall time (median of
``--repeat`` runs), a warm run after one file changed, a single-file pre-commit-style run, files/s,
peak RSS, and in the same run the libcst parse-only floor with the same number of workers, pylint
limited to its equivalent checks and ruff when they are installed, with ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

EXCLUDE_DIRS = {".git", "__pycache__", ".mlaudit_cache", "build", "dist", ".venv", "venv"}


def py_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in EXCLUDE_DIRS]
        out += [Path(dirpath) / f for f in filenames if f.endswith(".py")]
    return sorted(out)


def _parse(path: Path) -> int:
    import libcst

    try:
        libcst.parse_module(path.read_bytes())
    except Exception:
        return 0
    return 1


def libcst_floor(files: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    if jobs <= 1:
        for f in files:
            _parse(f)
    else:
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_parse, files, chunksize=8))
    return time.perf_counter() - start


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MB of the process tree's largest member, exit code)."""
    timer = shutil.which("time") or "/usr/bin/time"
    wrapped = [timer, "-f", "%M", *cmd] if Path(timer).exists() else cmd
    start = time.perf_counter()
    proc = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss = 0
    if wrapped is not cmd:
        try:
            rss = int(proc.stderr.strip().splitlines()[-1]) // 1024
        except (ValueError, IndexError):
            rss = 0
    return wall, rss, proc.returncode


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_corpus(corpus: Path, jobs: int, repeat: int) -> None:
    files = py_files(corpus)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"\n== {corpus}  ({len(files)} .py files, {lines:,} lines, {jobs} workers)")
    mlaudit = [sys.executable, "-m", "mlaudit", "check", str(corpus), "--isolated", "--exit-zero",
               "--output-format", "json", "-o", os.devnull, "--jobs", str(jobs)]
    cache = Path(tempfile.mkdtemp(prefix="mlaudit-bench-"))
    cold_runs, rss_cold = [], 0
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        wall, rss, _ = timed([*mlaudit, "--cache-dir", str(cache)])
        cold_runs.append(wall)
        rss_cold = max(rss_cold, rss)
    warm_runs = [timed([*mlaudit, "--cache-dir", str(cache)])[0] for _ in range(repeat)]
    # One file changed: append a comment to a copy-on-write duplicate of the tree would be costly;
    # instead touch the content of one real file and restore it.
    victim = files[len(files) // 2]
    original = victim.read_bytes()
    changed_runs = []
    try:
        for i in range(repeat):
            victim.write_bytes(original + f"\n# bench {i}\n".encode())
            changed_runs.append(timed([*mlaudit, "--cache-dir", str(cache)])[0])
    finally:
        victim.write_bytes(original)
    single = [sys.executable, "-m", "mlaudit", "check", str(victim), "--isolated", "--exit-zero",
              "--output-format", "json", "-o", os.devnull, "--cache-dir", str(cache)]
    timed(single)
    single_runs = [timed(single)[0] for _ in range(repeat)]
    floor = median([libcst_floor(files, jobs) for _ in range(repeat)])
    cold, warm = median(cold_runs), median(warm_runs)
    print(f"libcst parse only (floor) : {floor:7.2f} s")
    print(f"mlaudit cold              : {cold:7.2f} s  ({len(files) / cold:6.0f} files/s, {cold / floor:4.2f}x floor, peak RSS {rss_cold} MB)")
    print(f"mlaudit warm (no change)  : {warm:7.2f} s  ({len(files) / warm:6.0f} files/s)")
    print(f"mlaudit warm (1 changed)  : {median(changed_runs):7.2f} s")
    print(f"mlaudit one file (warm)   : {median(single_runs):7.2f} s")
    shutil.rmtree(cache, ignore_errors=True)
    if shutil.which("pylint"):
        pylint = ["pylint", "--disable=all", "--enable=duplicate-code,cyclic-import,global-statement",
                  f"-j{jobs}", "--recursive=y", str(corpus)]
        wall, rss, _ = timed(pylint)
        print(f"pylint (3 equivalent checks): {wall:7.2f} s  (peak RSS {rss} MB; mlaudit cold is {wall / cold:4.1f}x faster)")
    else:
        print("pylint: not installed (pip install pylint to compare)")
    if shutil.which("ruff"):
        wall, rss, _ = timed(["ruff", "check", "--no-cache", "--exit-zero", "-q", str(corpus)])
        print(f"ruff check (defaults)     : {wall:7.2f} s  (peak RSS {rss} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for corpus in args.corpora:
        bench_corpus(corpus.resolve(), args.jobs, args.repeat)


if __name__ == "__main__":
    main()
