"""Scoring, configuration, outputs (text, Markdown, JSON validated against its schema, HTML), --compare and
--fail-under, through the real command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from mlaudit.audit.model import AuditReport, CheckResult, Status, grade_of
from mlaudit.audit.run import area_score
from mlaudit.cli import app
from tests.audit.conftest import Audit, find_check
from tests.conftest import REPO, write_files

SMALL = {
    "pyproject.toml": "[tool.mlaudit]\n",
    "pkg/__init__.py": "",
    "pkg/features.py": "import pandas as pd\n\n\ndef build_features(df):\n    return df.merge(pd.read_csv('x.csv'))\n",
    "pkg/train.py": "from pkg.features import build_features\n\nif __name__ == '__main__':\n    build_features(None)\n",
}


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_grades_and_area_score() -> None:
    assert [grade_of(s) for s in (95, 90, 89.9, 75, 60, 40, 39.9)] == ["A", "A", "B", "B", "C", "D", "F"]
    checks = [
        CheckResult(id="a", title="a", status=Status.PASS, weight=3, fix="x."),
        CheckResult(id="b", title="b", status=Status.PARTIAL, weight=2, fix="x."),
        CheckResult(id="c", title="c", status=Status.FAIL, weight=1, fix="x."),
        CheckResult(id="d", title="d", status=Status.NA, weight=5, fix="x."),
    ]
    assert area_score(checks) == pytest.approx(100 * (3 + 1) / 6, abs=0.1)
    assert area_score(checks[3:]) is None


def test_overall_is_the_mean_of_the_areas(audit: Audit) -> None:
    report = audit(SMALL)
    scores = [a.score for a in report.areas if a.score is not None]
    assert report.score == pytest.approx(sum(scores) / len(scores), abs=0.06)
    assert [a.id for a in report.areas] == [
        "boundaries", "separation", "configuration", "contracts", "reproducibility", "hygiene"
    ]  # fmt: skip


def test_configuration_off_weight_threshold_and_not_applicable(audit: Audit) -> None:
    config = (
        "[tool.mlaudit]\n[tool.mlaudit.audit]\n"
        'not-applicable = { data-versioned = "public benchmark data, fetched by hash" }\n'
        '[tool.mlaudit.audit.checks]\ntooling = "off"\ndocstrings = 4\n'
        '"tests-import-package" = { threshold = 0.0, weight = 1 }\n'
    )
    report = audit({**SMALL, "pyproject.toml": config, "tests/test_f.py": "import pkg.features\n"})
    ids = {c.id for a in report.areas for c in a.checks}
    assert "tooling" not in ids
    assert find_check(report, "docstrings").weight == 4
    tests = find_check(report, "tests-import-package")
    assert tests.weight == 1 and tests.status is Status.PASS
    na = find_check(report, "data-versioned")
    assert na.status is Status.NA and "public benchmark data" in na.summary


def test_unknown_check_in_config_is_a_usage_error(tmp_path: Path) -> None:
    write_files(tmp_path, {**SMALL, "pyproject.toml": '[tool.mlaudit.audit.checks]\nno-such-check = "off"\n'})
    code, _, err = cli("audit", str(tmp_path))
    assert code == 2 and "unknown check(s) no-such-check" in err


def test_text_output_lists_areas_and_fixes(tmp_path: Path) -> None:
    write_files(tmp_path, SMALL)
    code, out, _ = cli("audit", str(tmp_path), "--color", "never")
    assert code == 0
    for title in (
        "Boundaries",
        "Separation of concerns",
        "Configuration",
        "Model contracts",
        "Reproducibility",
        "Hygiene",
    ):
        assert title in out
    assert "overall" in out and "fix:" in out and "pkg/features.py:5" in out
    _, verbose, _ = cli("audit", str(tmp_path), "--color", "never", "--verbose")
    assert "Production code lives in an importable package" in verbose  # a passing check, shown with -v
    assert "Production code lives in an importable package" not in out


def test_markdown_output(tmp_path: Path) -> None:
    write_files(tmp_path, SMALL)
    code, out, _ = cli("audit", str(tmp_path), "--output-format", "markdown")
    assert code == 0
    assert out.startswith("## mlaudit audit: ")
    assert "| Area | Score | Grade |" in out and "### What to fix first" in out
    assert "<details><summary>Every check</summary>" in out


def test_json_output_validates_against_the_schema(tmp_path: Path) -> None:
    write_files(tmp_path, SMALL)
    code, out, _ = cli("audit", str(tmp_path), "--output-format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, AuditReport.model_json_schema())
    assert data["schema_version"] == 1 and data["tool"]["name"] == "mlaudit"
    assert {"root", "score", "grade", "areas"} <= set(data)
    check = data["areas"][1]["checks"][2]
    assert set(check) >= {"id", "title", "status", "weight", "evidence", "fix"}
    assert check["status"] in ("pass", "partial", "fail", "n/a")
    evidence = [e for a in data["areas"] for c in a["checks"] for e in c["evidence"] if e["filename"]]
    assert any(e["filename"] == "pkg/features.py" and e["location"]["row"] == 5 for e in evidence)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "areas": [{"id": "x"}]}, AuditReport.model_json_schema())


def test_html_is_self_contained_with_relative_links(tmp_path: Path) -> None:
    write_files(tmp_path, SMALL)
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    code, _, err = cli("audit", str(tmp_path), "--output-format", "html", "-o", str(out_dir / "report.html"))
    assert code == 0 and "wrote" in err
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    urls = set(re.findall(r"https?://[^\s\"'<>]*", html))
    assert urls == {"http://www.w3.org/2000/svg"}  # only the SVG namespace, never fetched
    assert 'href="../pkg/features.py#L5"' in html
    assert 'id="area-boundaries"' in html and 'class="graph"' in html


def test_compare_and_fail_under(tmp_path: Path) -> None:
    write_files(tmp_path, SMALL)
    previous = tmp_path / "previous.json"
    code, _, _ = cli("audit", str(tmp_path), "-f", "json", "-o", str(previous))
    assert code == 0
    # Improve: a test that imports the package.
    write_files(
        tmp_path,
        {
            "tests/test_features.py": "from pkg.features import build_features\n\n\ndef test_it():\n    assert build_features\n"
        },
    )
    code, out, _ = cli("audit", str(tmp_path), "-f", "markdown", "--compare", str(previous))
    assert code == 0
    assert "Previous audit:" in out and "tests-import-package`: fail → pass" in out
    code, out, _ = cli("audit", str(tmp_path), "-f", "html", "--compare", str(previous))
    assert "Trend against the previous audit" in out and "(was fail)" in out
    score = json.loads(cli("audit", str(tmp_path), "-f", "json")[1])["score"]
    assert cli("audit", str(tmp_path), "--fail-under", str(score + 1))[0] == 1
    assert cli("audit", str(tmp_path), "--fail-under", str(score))[0] == 0


def test_compare_with_a_bad_file_is_a_usage_error(tmp_path: Path) -> None:
    write_files(tmp_path, {**SMALL, "bad.json": '{"schema_version": 1, "findings": []}', "x.json": "{"})
    assert (
        "not a valid audit report" in cli("audit", str(tmp_path), "--compare", str(tmp_path / "bad.json"))[2]
    )
    assert "is not JSON" in cli("audit", str(tmp_path), "--compare", str(tmp_path / "x.json"))[2]
    assert cli("audit", str(tmp_path / "missing"))[0] == 2


def test_examples_are_graded_a_and_d_or_f() -> None:
    from mlaudit import api
    from mlaudit.audit import run_audit

    good = run_audit(REPO / "examples" / "reference_pipeline", api.CheckOptions(no_cache=True)).report
    assert good.grade == "A", [(a.id, a.score) for a in good.areas]
    bad = run_audit(REPO / "examples" / "legacy_project", api.CheckOptions(no_cache=True)).report
    assert bad.grade in ("D", "F")
    assert all((a.score or 0) < 60 for a in bad.areas)


def test_audit_reuses_the_cache(tmp_path: Path) -> None:
    from mlaudit import api
    from mlaudit.audit import run_audit

    write_files(tmp_path, SMALL)
    first = run_audit(tmp_path, api.CheckOptions()).report
    cache_entries = sorted(p.name for p in (tmp_path / ".mlaudit_cache").rglob("*.json"))
    second = run_audit(tmp_path, api.CheckOptions()).report
    assert sorted(p.name for p in (tmp_path / ".mlaudit_cache").rglob("*.json")) == cache_entries
    assert first.model_dump(exclude={"duration_s"}) == second.model_dump(exclude={"duration_s"})
