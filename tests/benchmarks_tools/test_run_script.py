"""The run script of the real-world corpus (tests/benchmarks/realworld/run.py): which rules a run checks."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "realworld" / "run.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realworld_run", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


run = _load()
CATALOGUE = [
    {"code": "MLA103", "default_enabled": True},
    {"code": "MLA201", "default_enabled": False},
    {"code": "MLA202", "default_enabled": False},
    {"code": "MLA301", "default_enabled": False},
]


def test_default_run_checks_the_default_rules_only() -> None:
    assert run.rules_run("", CATALOGUE) == ["MLA103"]


def test_selectors_are_code_prefixes() -> None:
    assert run.rules_run("MLA2", CATALOGUE) == ["MLA201", "MLA202"]
    assert run.rules_run("MLA301, MLA103", CATALOGUE) == ["MLA103", "MLA301"]
    assert run.rules_run("MLA", CATALOGUE) == [r["code"] for r in CATALOGUE]
