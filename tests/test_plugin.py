"""A third-party rule pack, installed as a distribution with an entry point in `mlaudit.rules`, is found
and run; a rule that crashes is recorded for its file while the other rules' findings are kept."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.conftest import run_cli, write_files

PLUGIN = """
import libcst as cst

from mlaudit.engine.rule import FileRule
from mlaudit.model import Severity


class NoEval(FileRule):
    code = "XPL001"
    name = "no-eval"
    category = "meta"
    severity = Severity.WARNING
    message = "Avoid eval: parse the value explicitly"

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.resolve(node.func) == "builtins.eval":
            self.report(node)


class Explodes(FileRule):
    code = "XPL002"
    name = "explodes"
    category = "meta"
    severity = Severity.WARNING
    message = "Crashes on purpose"

    def visit_Call(self, node: cst.Call) -> None:
        raise RuntimeError("plugin bug")
"""


def install_plugin(site: Path) -> None:
    """A minimal installed distribution: package + dist-info with entry_points.txt."""
    write_files(
        site,
        {
            "tinyplugin/__init__.py": textwrap.dedent(PLUGIN),
            "tinyplugin-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: tinyplugin\nVersion: 0.1\n",
            "tinyplugin-0.1.dist-info/entry_points.txt": "[mlaudit.rules]\ntiny = tinyplugin\n",
            "tinyplugin-0.1.dist-info/RECORD": "",
        },
    )


def test_plugin_rules_are_discovered_and_run(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(site)
    project = write_files(tmp_path / "proj", {"a.py": "value = eval('1 + 1')\n"})
    env = {"PYTHONPATH": str(site)}
    listing = run_cli("rules", cwd=project, env=env).stdout
    assert "XPL001  no-eval" in listing
    result = run_cli("check", "--select", "XPL001", "--output-format", "concise", cwd=project, env=env)
    assert result.returncode == 1
    assert "a.py:1:9: XPL001 [no-eval] Avoid eval" in result.stdout


def test_a_crashing_rule_is_recorded_and_the_others_still_report(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(site)
    project = write_files(tmp_path / "proj", {"a.py": "value = eval('1 + 1')\n"})
    result = run_cli(
        "check", "--select", "XPL", "--output-format", "json", cwd=project, env={"PYTHONPATH": str(site)}
    )
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert [f["code"] for f in report["findings"]] == ["XPL001"]
    assert report["errors"][0]["code"] == "XPL002"
    assert "plugin bug" in report["errors"][0]["message"]
    assert "Traceback" not in result.stderr
