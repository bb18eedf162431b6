"""Resource bounds (issue 7, item 6). The per-file time limit (``timeout`` setting, ``--timeout``) turns
one pathological file into an error for that file, naming the limit, while the run completes; a
timed-out result is never cached. Memory: a file over ``max-file-size`` is refused before it is read,
and a file under it stays within the bound documented in docs/robustness.md.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

import libcst as cst
import pytest

from mlaudit import api
from mlaudit.engine.registry import Registry
from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, FileRule
from mlaudit.model import Severity
from tests.conftest import write_files
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


def test_timed_out_result_is_not_cached(tmp_path: Path) -> None:
    root = pathological(tmp_path)
    cache = tmp_path / "cache"
    first = api.check(
        [root], api.CheckOptions(isolated=True, jobs=1, cache_dir=cache, overrides={"timeout": 0.5})
    )
    assert [e.message for e in first.errors] == [
        "analysis exceeded the time limit of 0.5 s (`timeout` setting)"
    ]
    # The same cache directory, no limit: the file is analysed now (the error was not stored). The
    # settings differ, so a different run key too; the assertion is on the entries of the first run.
    entries = [json.loads(p.read_bytes()) for p in cache.rglob("*.json")]
    assert {e["rel"] for e in entries} == {"other.py"}


class Spinning(FileRule):
    """A rule stuck in an endless loop on files that mention ``spin``."""

    code = "XRB001"
    name = "spinning-rule"
    category = "meta"
    severity = Severity.WARNING
    message = "never finishes"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "spin":
            while True:
                pass


class Swallowing(FileRule):
    """A rule that swallows everything once (``except BaseException``), then dawdles for 5 s."""

    code = "XRB002"
    name = "swallowing-rule"
    category = "meta"
    severity = Severity.WARNING
    message = "swallows the alarm"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "dawdle":
            with contextlib.suppress(BaseException):  # the careless part
                time.sleep(5)
            time.sleep(5)


def check_with(root: Path, rule: type[FileRule], timeout: float) -> api.Report:  # type: ignore[name-defined]
    base = api.registry(plugins=False)
    registry = Registry(rules=[*base.rules, rule], extractors=list(base.extractors))
    options = {"timeout": timeout, "extend-select": (rule.code,)}
    return api.check(
        [root], api.CheckOptions(isolated=True, jobs=1, no_cache=True, overrides=options, registry=registry)
    )


def test_a_rule_in_an_endless_loop_is_stopped(tmp_path: Path) -> None:
    write_files(tmp_path, {**COMPANION, "stuck.py": "spin = 1\n"})
    started = time.perf_counter()
    report = check_with(tmp_path, Spinning, 0.5)
    assert time.perf_counter() - started < 10
    assert [(e.filename, e.message) for e in report.errors] == [
        ("stuck.py", "analysis exceeded the time limit of 0.5 s (`timeout` setting)")
    ]
    assert ("MLA002", "other.py") in [(f.code, f.filename) for f in report.findings]


def test_a_swallowed_alarm_is_repeated(tmp_path: Path) -> None:
    """Code run from C (a __del__, a gc callback) or a careless ``except BaseException`` can swallow
    the alarm; it goes off again every 0.1 s until the file is abandoned."""
    write_files(tmp_path, {**COMPANION, "slow.py": "dawdle = 1\n"})
    started = time.perf_counter()
    report = check_with(tmp_path, Swallowing, 0.5)
    assert time.perf_counter() - started < 4
    assert [e.message for e in report.errors] == [
        "analysis exceeded the time limit of 0.5 s (`timeout` setting)"
    ]


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
