"""GitHub Actions workflow commands and the step summary."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mlaudit import reporters
from mlaudit.model import Finding, Location, Related, Report, Severity, Summary, Tool
from mlaudit.reporters import github
from tests.ci.conftest import notebook, write

COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def _finding(**changes: Any) -> Finding:
    base: dict[str, Any] = {
        "code": "XCI001",
        "name": "legacy-call",
        "category": "purity",
        "severity": Severity.WARNING,
        "message": "Call to legacy_call: use new_call",
        "filename": "pkg/a.py",
        "location": Location(row=3, column=5),
        "end_location": Location(row=3, column=18),
    }
    return Finding(**{**base, **changes})


def _render(*findings: Finding, **ctx: Any) -> str:
    report = Report(tool=Tool(version="0"), summary=Summary(findings=len(findings)), findings=list(findings))
    return github.render(report, reporters.RenderContext(format="github", **ctx))


def _props(line: str) -> dict[str, str]:
    m = COMMAND.match(line)
    assert m, line
    return dict(p.split("=", 1) for p in m.group("props").split(","))


def test_annotation_format() -> None:
    (line,) = _render(_finding()).splitlines()
    assert line == (
        "::warning file=pkg/a.py,line=3,col=5,endLine=3,endColumn=18,title=mlaudit (legacy-call)"
        "::XCI001 Call to legacy_call: use new_call"
    )


def test_levels() -> None:
    out = _render(
        _finding(severity=Severity.ERROR),
        _finding(severity=Severity.WARNING),
        _finding(severity=Severity.INFO),
    )
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::error", "::warning", "::notice"]


def test_escaping_of_data_and_properties() -> None:
    assert github.escape_data("100% a\r\nb") == "100%25 a%0D%0Ab"
    assert github.escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    (line,) = _render(_finding(filename="dir,x/a:b.py", message="50% done\nnext line")).splitlines()
    props = _props(line)
    assert props["file"] == "dir%2Cx/a%3Ab.py"
    assert line.endswith("::XCI001 50%25 done%0Anext line")


def test_related_locations_are_in_the_message() -> None:
    rel = Related(filename="pkg/b.py", location=Location(row=2, column=1), message="other copy")
    (line,) = _render(_finding(related=[rel])).splitlines()
    assert line.endswith("%0A  related: pkg/b.py:2:1: other copy")


def test_never_an_empty_property() -> None:
    nb = _finding(filename="nb.ipynb", cell=2, location=Location(row=1, column=1))
    for line in _render(nb, _finding()).splitlines():
        for key, value in _props(line).items():
            assert value != "", (key, line)
    (nb_line, _) = _render(nb, _finding()).splitlines()
    assert "col=" not in nb_line and "endLine=" not in nb_line
    assert "(cell 2, line 1)" in nb_line


def test_notebook_line_comes_from_the_context() -> None:
    nb = _finding(filename="nb.ipynb", cell=2, location=Location(row=3, column=1))
    (line,) = _render(nb, notebook_line=lambda path, cell, row: 40 + row).splitlines()
    assert _props(line)["line"] == "43"


def test_cli_annotations_and_step_summary(tmp_path: Path, run: Any) -> None:
    root = write(
        tmp_path / "proj",
        {
            "pkg/a.py": "legacy_call()\nlegacy_call('a|b')\n",
            "nb.ipynb": notebook("x = 1\nlegacy_call()\n"),
        },
    )
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run(
        "check", ".", "--output-format", "github", cwd=root, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 3 and all(COMMAND.match(line) for line in lines)
    nb_props = _props(next(line for line in lines if "nb.ipynb" in line))
    nb_lines = (root / "nb.ipynb").read_text(encoding="utf-8").splitlines()
    assert "legacy_call()" in nb_lines[int(nb_props["line"]) - 1]

    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")  # appended, never overwritten
    assert "### mlaudit: 3 findings" in text
    rows = [line for line in text.splitlines() if line.startswith("| warning")]
    assert len(rows) == 3
    assert "`pkg/a.py:2:1`" in text and "`nb.ipynb:cell 1:2:1`" in text


def test_step_summary_only_for_the_github_format(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path / "proj", {"a.py": "legacy_call()\n"})
    summary = tmp_path / "summary.md"
    run("check", ".", "--output-format", "json", cwd=root, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()
    # ... but also when github is one of several reports.
    run("check", ".", "--report", "github:ann.txt", cwd=root, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert "legacy-call" in summary.read_text(encoding="utf-8")
    assert (root / "ann.txt").read_text(encoding="utf-8").startswith("::warning file=a.py,line=1")


def test_step_summary_escapes_pipes_and_is_bounded(monkeypatch: Any) -> None:
    findings = [_finding(message="a | b\nc", location=Location(row=i, column=1)) for i in range(1, 30001)]
    report = Report(tool=Tool(version="0"), summary=Summary(findings=len(findings)), findings=findings)
    text = github.step_summary(report, reporters.RenderContext(format="github"))
    assert len(text.encode()) < 1_048_576
    assert "a \\| b c" in text
    assert "more findings: see the full report" in text
