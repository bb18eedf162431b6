"""GitLab Code Quality report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlaudit import reporters
from mlaudit.model import Finding, Location, Report, Severity, Summary, Tool
from mlaudit.reporters import gitlab
from tests.ci.conftest import notebook, write


def _issues(run: Any, root: Path, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    result = run("check", ".", "--output-format", "gitlab", cwd=root, env=env)
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert isinstance(data, list)
    return data


def test_issue_shape(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"pkg/a.py": "import os\n\nx = legacy_call(1)\n"})
    (issue,) = _issues(run, root)
    assert issue["check_name"] == "legacy-call"
    assert issue["description"] == "legacy-call: Call to legacy_call: use new_call"
    assert issue["severity"] == "minor"
    assert issue["location"] == {
        "path": "pkg/a.py",
        "lines": {"begin": 3, "end": 3},
        "positions": {"begin": {"line": 3, "column": 5}, "end": {"line": 3, "column": 19}},
    }
    assert len(issue["fingerprint"]) == 32 and int(issue["fingerprint"], 16) >= 0


def test_fingerprints_unique_and_line_independent(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"a.py": "legacy_call()\nlegacy_call()\n", "b.py": "legacy_call()\n"})
    before = [i["fingerprint"] for i in _issues(run, root)]
    assert len(before) == 3 and len(set(before)) == 3  # identical snippets in one file still differ
    write(root, {"a.py": "import os\n\n\nlegacy_call()\nlegacy_call()\n"})
    after = [i["fingerprint"] for i in _issues(run, root)]
    assert after == before  # lines moved, fingerprints did not


def test_collisions_are_salted() -> None:
    f = Finding(
        code="XCI001",
        name="legacy-call",
        category="purity",
        severity=Severity.WARNING,
        message="m",
        filename="a.py",
        location=Location(row=1, column=1),
        end_location=Location(row=1, column=2),
        fingerprint="same",
    )
    report = Report(tool=Tool(version="0"), summary=Summary(findings=2), findings=[f, f.model_copy()])
    issues = json.loads(gitlab.render(report, reporters.RenderContext(format="gitlab")))
    assert len({i["fingerprint"] for i in issues}) == 2


def test_severity_map() -> None:
    def one(code: str, severity: Severity) -> str:
        f = Finding(
            code=code,
            name="n",
            category="meta",
            severity=severity,
            message="m",
            filename="a.py",
            location=Location(row=1, column=1),
            end_location=Location(row=1, column=2),
        )
        return gitlab.severity(f)

    assert one("XCI001", Severity.INFO) == "info"
    assert one("XCI001", Severity.WARNING) == "minor"
    assert one("XCI001", Severity.ERROR) == "major"
    assert one("MLA001", Severity.ERROR) == "critical"


def test_paths_relative_to_ci_project_dir_and_notebooks(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path / "ml" / "proj", {"nb.ipynb": notebook(("markdown", "hi\n"), "legacy_call()\n")})
    (issue,) = _issues(run, root, env={"CI_PROJECT_DIR": str(tmp_path)})
    assert issue["location"]["path"] == "ml/proj/nb.ipynb"
    assert issue["description"].endswith("(cell 2, line 1)")
    line = issue["location"]["lines"]["begin"]
    assert "legacy_call()" in (root / "nb.ipynb").read_text(encoding="utf-8").splitlines()[line - 1]


def test_parse_error_is_critical(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"bad.py": "def f(:\n"})
    (issue,) = _issues(run, root)
    assert issue["check_name"] == "parse-error" and issue["severity"] == "critical"
