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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project", type=Path, help="a project of 600+ files (default: synthetic)")
    parser.add_argument("--file", type=Path, help="the one file to check inside --project")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="mlaudit-startup-"))
    env = {
        **os.environ,
        "MLAUDIT_CACHE_DIR": str(tmp / "cache"),
        "XDG_CACHE_HOME": str(tmp / "xdg"),  # the rule manifest: built by the first run, then read
        "NO_COLOR": "1",
    }
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
