"""JUnit XML for CI test-report views."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from mlaudit import reporters
from mlaudit.model import Finding, Location, Report, Severity, Summary, Tool
from mlaudit.reporters import junit
from tests.ci.conftest import write


def _xml(run: Any, root: Path, expect: int = 1) -> ET.Element:
    result = run("check", ".", "--output-format", "junit", cwd=root)
    assert result.code == expect, result.err
    assert result.out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(result.out.split("\n", 1)[1])


def test_one_suite_per_file_one_case_per_finding(tmp_path: Path, run: Any) -> None:
    root = write(
        tmp_path, {"pkg/a.py": "legacy_call()\nlegacy_call()\n", "b.py": "legacy_call()\n", "c.py": "x = 1\n"}
    )
    doc = _xml(run, root)
    assert doc.tag == "testsuites"
    assert (doc.get("tests"), doc.get("failures"), doc.get("errors")) == ("3", "3", "0")
    suites = {s.get("name"): s for s in doc.findall("testsuite")}
    assert set(suites) == {"b.py", "pkg/a.py"}
    cases = suites["pkg/a.py"].findall("testcase")
    assert [c.get("line") for c in cases] == ["1", "2"]
    assert cases[0].get("classname") == "pkg.a"
    assert cases[0].get("name") == "XCI001 legacy-call at pkg/a.py:1:1"
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("message") == "Call to legacy_call: use new_call"
    assert failure.text and failure.text.startswith("pkg/a.py:1:1: XCI001 [legacy-call]")


def test_clean_run_is_one_passing_case(tmp_path: Path, run: Any) -> None:
    doc = _xml(run, write(tmp_path, {"a.py": "x = 1\n"}), expect=0)
    (suite,) = doc.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None and doc.get("failures") == "0"


def test_markup_and_control_characters_are_escaped() -> None:
    f = Finding(
        code="XCI001",
        name="legacy-call",
        category="purity",
        severity=Severity.ERROR,
        message='<b>&"quoted"</b> \x00\x1b bell\x07 ünï',
        filename="dir/<odd>&.py",
        location=Location(row=1, column=1),
        end_location=Location(row=1, column=2),
    )
    report = Report(tool=Tool(version="0"), summary=Summary(findings=1), findings=[f])
    text = junit.render(report, reporters.RenderContext(format="junit"))
    doc = ET.fromstring(text.split("\n", 1)[1])
    failure = doc.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == '<b>&"quoted"</b> \ufffd\ufffd bell\ufffd ünï'
    assert doc.find("testsuite").get("name") == "dir/<odd>&.py"  # type: ignore[union-attr]


def test_file_errors_without_the_parse_error_rule_are_errors(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"bad.py": "def f(:\n"})
    result = run(
        "check", ".", "--output-format", "junit", "--isolated", "--select", "XCI", cwd=root, isolated=False
    )
    doc = ET.fromstring(result.out.split("\n", 1)[1])
    assert doc.get("errors") == "1"
    error = doc.find("testsuite/testcase/error")
    assert error is not None and "syntax error" in (error.get("message") or "")
