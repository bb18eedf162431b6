"""scripts/new_rule.py: the scaffold writes a rule that runs at once, and the catalogue test fails on
its bad example until the rule is written (the failure is the to-do list)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _scaffold_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("new_rule", REPO / "scripts" / "new_rule.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_arguments_are_validated() -> None:
    new_rule = _scaffold_module()
    assert new_rule.validate("purity", "MLA204", "print-in-transform") == []
    assert new_rule.validate("purity", "MLA304", "print-in-transform")  # wrong family digit
    assert new_rule.validate("purity", "MLA204", "PrintInTransform")  # not kebab-case
    assert new_rule.validate("nope", "MLA204", "print-in-transform")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["file", "project"])
def test_scaffold_in_a_temporary_copy(tmp_path: Path, kind: str) -> None:
    copy = tmp_path / "checkout"
    shutil.copytree(REPO / "mlaudit", copy / "mlaudit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", copy / "rules")
    (copy / "tests" / "rules").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "catalogue.py", "test_catalogue.py"):
        shutil.copy(REPO / "tests" / name, copy / "tests" / name)
    (copy / "tests" / "rules" / "__init__.py").write_text("")
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    shutil.copy(REPO / "README.md", copy / "README.md")
    script = REPO / "scripts" / "new_rule.py"
    args = ["--family", "purity", "--code", "MLA299", "--name", "print-in-transform", "--kind", kind]
    made = subprocess.run([sys.executable, str(script), *args, "--root", str(copy)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert (copy / "mlaudit" / "rules" / "purity" / "print_in_transform.py").is_file()
    assert "| MLA299 | [print-in-transform]" in (copy / "README.md").read_text(encoding="utf-8")  # table synced
    again = subprocess.run([sys.executable, str(script), *args, "--root", str(copy)], capture_output=True, text=True)
    assert again.returncode == 2 and "already there" in again.stderr  # never overwrites
    env = {**os.environ, "PYTHONPATH": str(copy)}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_catalogue.py", "-k",
         "MLA299 or one_to_one"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600,
    )
    out = tests.stdout
    # The rule is registered (catalogue and registry agree), its README and good example pass, and
    # its bad example fails until the rule reports the marked line.
    failed = sorted(line for line in out.splitlines() if line.startswith("FAILED"))
    assert tests.returncode == 1 and len(failed) == 2, out
    assert "test_bad_example_reports_exactly_the_marked_lines[MLA299-print-in-transform]" in failed[0]
    assert "test_readme_has_required_sections[MLA299-print-in-transform]" in failed[1]  # its TODOs
