"""Resource bounds (issue 7, item 6). The per-file time limit (``timeout`` setting, ``--timeout``) turns
one pathological file into an error for that file, naming the limit, while the run completes; a
timed-out result is never cached. Memory: a file over ``max-file-size`` is refused before it is read,
and a file under it stays within the bound documented in docs/robustness.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, write_files
from tests.robustness.helpers import COMPANION, audit

PEAK_RSS = r"""
import runpy, sys
sys.argv = ["mlaudit", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("mlaudit", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
# VmHWM belongs to this process's memory map, new at exec: ru_maxrss would count pytest's memory too.
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
sys.stderr.write(f"\nPEAK_RSS_KB={status}\n")
sys.exit(code)
"""


def long_function(lines: int) -> str:
    body = "".join(f"    v{i} = v{i - 1} + {i}\n" for i in range(1, lines))
    return f"def long(v0):\n{body}    return v{lines - 1}\n"


def dense_module(megabytes: float) -> str:
    """Generated code at its densest for the parser (short statements, many nodes per byte)."""
    chunks, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        chunk = f"def func_{i}(a, b):\n    c = a + b * {i}\n    return c\n\n\n"
        chunks.append(chunk)
        size += len(chunk)
        i += 1
    return "".join(chunks)


def pathological(root: Path, extra: int = 0) -> Path:
    """A 30,000-line function (seconds of analysis) among quick files."""
    files = {**COMPANION, "slow.py": long_function(30_000)}
    files.update({f"quick/m{i:02}.py": f"def f{i}(x):\n    return x + {i}\n" for i in range(extra)})
    return write_files(root, files)


def assert_timed_out(run, limit: str) -> None:  # type: ignore[no-untyped-def]
    assert run.code == 1, run.stderr
    assert run.errors == {"slow.py": f"analysis exceeded the time limit of {limit} s (`timeout` setting)"}
    assert [f[0] for f in run.findings("slow.py")] == ["MLA001"]
    assert run.companion_analysed


def test_timeout_flag_reports_the_slow_file_and_the_run_completes(tmp_path: Path) -> None:
    run = audit(pathological(tmp_path), "--timeout", "0.5", "-j", "1")
    assert_timed_out(run, "0.5")


def test_timeout_setting_in_config_and_in_pool_workers(tmp_path: Path) -> None:
    """Through the process pool (41+ files, two workers), each worker enforces the limit itself."""
    root = pathological(tmp_path, extra=45)
    (root / "mlaudit.toml").write_text("timeout = 0.5\n", encoding="utf-8")
    run = audit(root, "-j", "2", isolated=False)
    assert_timed_out(run, "0.5")
    assert run.report is not None and run.report["summary"]["files"] == 47


IN_PROCESS = r"""
import json, sys, time
from pathlib import Path
from mlaudit import api
from mlaudit.engine.registry import Registry
from tests.robustness import slow_rules

root, rule, timeout, cache = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
base = api.registry(plugins=False)
extra = [getattr(slow_rules, rule)] if rule != "-" else []
overrides = {"timeout": timeout, **({"extend-select": (extra[0].code,)} if extra else {})}
options = api.CheckOptions(
    isolated=True, jobs=1, overrides=overrides, no_cache=cache == "-", cache_dir=None if cache == "-" else Path(cache),
    registry=Registry(rules=[*base.rules, *extra], extractors=list(base.extractors)),
)
started = time.perf_counter()
report = api.check([root], options)
print(json.dumps({
    "elapsed": time.perf_counter() - started,
    "errors": [[e.filename, e.message] for e in report.errors],
    "findings": [[f.code, f.filename] for f in report.findings],
}))
"""


def check_in_process(root: Path, rule: str, timeout: float, cache: Path | None = None) -> dict[str, Any]:
    """``api.check`` with a time limit, in a fresh interpreter: under pytest the alarm could also land
    in pytest's own hooks (which then fail the test however mlaudit fares)."""
    argv = [sys.executable, "-c", IN_PROCESS, str(root), rule, str(timeout), str(cache or "-")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def test_timed_out_result_is_not_cached(tmp_path: Path) -> None:
    root = pathological(tmp_path)
    cache = tmp_path / "cache"
    result = check_in_process(root, "-", 0.5, cache)
    assert result["errors"] == [["slow.py", "analysis exceeded the time limit of 0.5 s (`timeout` setting)"]]
    own_entries = [p for p in cache.rglob("*.json") if p.name != "pack.json" and not p.name.startswith("rules-")]
    assert {json.loads(p.read_bytes())["rel"] for p in own_entries} == {"other.py"}


def test_a_rule_in_an_endless_loop_is_stopped(tmp_path: Path) -> None:
    write_files(tmp_path, {**COMPANION, "stuck.py": "spin = 1\n"})
    result = check_in_process(tmp_path, "Spinning", 0.5)
    assert result["elapsed"] < 10
    assert result["errors"] == [["stuck.py", "analysis exceeded the time limit of 0.5 s (`timeout` setting)"]]
    assert ["MLA002", "other.py"] in result["findings"]


def test_a_swallowed_alarm_is_repeated(tmp_path: Path) -> None:
    """Code run from C (a __del__, a gc callback) or a careless ``except BaseException`` can swallow
    the alarm; it goes off again every 0.1 s until the file is abandoned."""
    write_files(tmp_path, {**COMPANION, "slow.py": "dawdle = 1\n"})
    result = check_in_process(tmp_path, "Swallowing", 0.5)
    assert result["elapsed"] < 4
    assert result["errors"] == [["slow.py", "analysis exceeded the time limit of 0.5 s (`timeout` setting)"]]


def test_no_timeout_by_default(tmp_path: Path) -> None:
    run = audit(write_files(tmp_path, {**COMPANION, "slow.py": long_function(3_000)}))
    assert run.code == 0 and run.errors == {}


def peak_rss_mb(root: Path, *args: str) -> tuple[int, float]:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK_RSS,
            "check",
            ".",
            "--isolated",
            "--no-cache",
            "-j",
            "1",
            "--fail-on",
            "error",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("PEAK_RSS_KB="))
    return proc.returncode, int(line.split("=")[1]) / 1024


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_file_over_the_size_limit_is_not_even_read(tmp_path: Path) -> None:
    write_files(tmp_path, {**COMPANION, "generated.py": dense_module(25)})
    code, peak = peak_rss_mb(tmp_path)
    assert code == 1
    assert peak < 200, f"{peak:.0f} MB: a refused 25 MB file must cost nothing"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_memory_stays_within_the_documented_bound(tmp_path: Path) -> None:
    """docs/robustness.md: peak RSS per worker <= 150 MB + 1000 bytes per byte of the largest file's
    code (measured ~820 B/B at 0.5 MB and ~525 B/B at 2 MB of the densest generated code)."""
    size_mb = 0.25
    write_files(tmp_path, {**COMPANION, "dense.py": dense_module(size_mb)})
    code, peak = peak_rss_mb(tmp_path)
    assert code == 0
    assert peak <= 150 + 1000 * size_mb, f"{peak:.0f} MB for {size_mb} MB of dense code"
