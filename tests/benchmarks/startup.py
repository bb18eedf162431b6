"""Start-up and warm-run benchmark (issue 12, item 6). Not collected by pytest.

    python tests/benchmarks/startup.py                      # synthetic 600+-file project in a temp dir
    python tests/benchmarks/startup.py --project DIR --file DIR/pkg/mod.py --repeat 5

Measures, in ONE run so that the ratios compare like with like on a loaded machine, the median wall
time and the median CPU time (user + system of the child, steadier under load) of:

- ``mlaudit --version`` (the floor: interpreter + CLI start-up);
- a warm ``mlaudit check examples/reference_pipeline`` (target: within 4x of ``--version``);
- ``mlaudit rules`` (target: within 3x of ``--version``);
- a warm single-file check inside a project of 600+ files, pre-commit style (target: 0.5 s).

Each measured command runs once first to warm the cache; the cache lives in a temporary folder.

    python tests/benchmarks/startup.py --cold DIR --jobs 2 --repeat 3

measures instead a cold ``mlaudit check DIR`` (an empty result cache each time; the rule manifest is
built once, as after installation) against libcst's parse-only time: ``libcst.parse_module`` over the
same files (the ones ``mlaudit check`` discovers, read and decoded the same way) in a pool of the same
number of workers (target: within 2x). E.g. DIR = scikit-learn's sources.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "examples" / "reference_pipeline"


TARGETS = {
    "--version": "",
    "check reference_pipeline (warm)": "<= 4x",
    "rules": "<= 3x",
    "check one file in 600+ (warm)": "<= 0.5 s",
}


def mlaudit_command() -> list[str]:
    exe = Path(sys.executable).with_name("mlaudit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "mlaudit"]


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def synthetic_project(dest: Path, minimum: int = 600) -> Path:
    """Copies of the reference pipeline's modules as separate packages until ``minimum`` files."""
    sources = sorted(p for p in REFERENCE.rglob("*.py") if ".mlaudit_cache" not in p.parts)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text("[tool.mlaudit]\n")
    count, copy = 0, 0
    while count < minimum:
        package = dest / f"pkg{copy:03d}"
        for src in sources:
            target = package / src.relative_to(REFERENCE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            count += 1
        (package / "__init__.py").touch()
        copy += 1
    return dest


def _parse_one(path: str) -> int:
    import libcst

    from mlaudit.engine.source import SourceError, read_source

    try:
        src = read_source(Path(path).read_bytes(), notebook=path.endswith(".ipynb"))
        libcst.parse_module(src.text)
    except (OSError, SourceError, libcst.ParserSyntaxError, RecursionError, ValueError):
        return 0
    return 1


def parse_only(listing: Path, jobs: int) -> None:
    """Child process of ``--cold``: parse every file named in ``listing`` with ``jobs`` workers."""
    from concurrent.futures import ProcessPoolExecutor

    files = listing.read_text().splitlines()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        parsed = sum(pool.map(_parse_one, files, chunksize=4))
    print(f"parsed {parsed} of {len(files)}", file=sys.stderr)


def cold(target: Path, jobs: int, repeat: int) -> None:
    """A cold check of ``target`` against libcst's parse-only time over the same files."""
    from mlaudit import api
    from mlaudit.engine.discovery import discover

    tmp = Path(tempfile.mkdtemp(prefix="mlaudit-cold-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "xdg"), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: from bytecode
    loaded = api.load_config([target], api.CheckOptions())
    found = discover([target], loaded.root, loaded.settings).files
    listing = tmp / "files.txt"
    listing.write_text("".join(f"{f.path}\n" for f in found))
    exe = mlaudit_command()
    parse = [sys.executable, __file__, "--parse-only", str(listing), "--jobs", str(jobs)]
    timed([*exe, "rules"], REPO, env)  # the rule manifest, as after installation
    print(f"{target}: {len(found)} files; {jobs} workers each side; load {os.getloadavg()[0]:.1f}")
    walls: dict[str, list[float]] = {"check (cold)": [], "libcst parse only": []}
    cpus: dict[str, list[float]] = {"check (cold)": [], "libcst parse only": []}
    try:
        for i in range(repeat):
            check = [*exe, "check", str(target), "--jobs", str(jobs), "--exit-zero"]
            run_env = {**env, "MLAUDIT_CACHE_DIR": str(tmp / f"cache{i}")}  # empty: a cold run
            for name, argv, e in (("check (cold)", check, run_env), ("libcst parse only", parse, env)):
                wall, cpu = timed(argv, REPO, e)
                walls[name].append(wall)
                cpus[name].append(cpu)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base_wall, base_cpu = statistics.median(walls["libcst parse only"]), statistics.median(cpus["libcst parse only"])
    print(f"{'case':36} {'wall s':>8} {'x parse':>7} {'cpu s':>8} {'x parse':>7}  target   (median of {repeat})")
    for name in walls:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        target_text = "<= 2x" if name.startswith("check") else ""
        print(f"{name:36} {wall:8.2f} {wall / base_wall:7.2f} {cpu:8.2f} {cpu / base_cpu:7.2f}  {target_text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project", type=Path, help="a project of 600+ files (default: synthetic)")
    parser.add_argument("--file", type=Path, help="the one file to check inside --project")
    parser.add_argument("--cold", type=Path, help="measure a cold check of this folder against parse-only")
    parser.add_argument("--jobs", type=int, default=2, help="workers for --cold (both sides)")
    parser.add_argument("--parse-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parse_only is not None:
        parse_only(args.parse_only, args.jobs)
        return
    if args.cold is not None:
        cold(args.cold.resolve(), args.jobs, args.repeat)
        return

    tmp = Path(tempfile.mkdtemp(prefix="mlaudit-startup-"))
    env = {
        **os.environ,
        "MLAUDIT_CACHE_DIR": str(tmp / "cache"),
        "XDG_CACHE_HOME": str(tmp / "xdg"),  # the rule manifest: built by the first run, then read
        "NO_COLOR": "1",
    }
    # An installed mlaudit runs from bytecode (pip compiles it); with this set every run would compile
    # mlaudit's modules again (~0.1 s), which no user pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    project = args.project.resolve() if args.project else synthetic_project(tmp / "big")
    one = args.file.resolve() if args.file else next(iter(sorted(project.rglob("*.py"))))
    exe = mlaudit_command()
    cases = {
        "--version": ([*exe, "--version"], REPO),
        "check reference_pipeline (warm)": ([*exe, "check", str(REFERENCE)], REPO),
        "rules": ([*exe, "rules"], REPO),
        "check one file in 600+ (warm)": ([*exe, "check", str(one)], project),
    }
    files = sum(1 for _ in project.rglob("*.py"))
    print(f"project for the single-file case: {project} ({files} .py files); load {os.getloadavg()[0]:.1f}")
    try:
        for argv, cwd in cases.values():  # warm every cache (the 600-file one is the slow, cold one)
            timed(argv, cwd, env)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):  # interleaved, so a load spike hits every case alike
            for name, (argv, cwd) in cases.items():
                wall, cpu = timed(argv, cwd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base_wall = statistics.median(walls["--version"])
    base_cpu = statistics.median(cpus["--version"])
    print(f"{'case':36} {'wall s':>8} {'x ver':>6} {'cpu s':>8} {'x ver':>6}  target   (median of {args.repeat})")
    for name in cases:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:36} {wall:8.3f} {wall / base_wall:6.2f} {cpu:8.3f} {cpu / base_cpu:6.2f}  {TARGETS[name]}")
    print(
        "Targets (issue 12): warm check <= 4x --version, rules <= 3x, one file in 600+ <= 0.5 s. Wall time\n"
        "follows the machine's load; CPU time (user + system of the child) is the steadier figure."
    )


if __name__ == "__main__":
    main()
