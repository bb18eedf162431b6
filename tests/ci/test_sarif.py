"""SARIF 2.1.0 output: validated against the official schema, and the details GitHub code scanning needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlaudit import reporters
from mlaudit.model import Finding, Location, Report, Severity, Summary, Tool
from mlaudit.reporters import sarif
from tests.ci.conftest import git, notebook, write

SCHEMA = Path(__file__).resolve().parents[2].parent / "shared/data/sarif-schema-2.1.0.json"

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import shared_dep\n\n\ndef f():\n    return legacy_call(1)\n",
    "pkg/b.py": "import os\nimport shared_dep\n",
    "pkg/my file ü.py": "x = legacy_call()\n",
    "pkg/broken.py": "def broken(:\n",
    "notebooks/explore.ipynb": notebook(("markdown", "# Explore\n"), "import os\n\nlegacy_call(2)\n"),
}


def _sarif(run: Any, root: Path, *extra: str) -> dict[str, Any]:
    result = run("check", ".", "--output-format", "sarif", *extra, cwd=root)
    assert result.code == 1, result.err
    return json.loads(result.out)


def _results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc["runs"][0]["results"])


def _uri(result: dict[str, Any]) -> str:
    return str(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])


def test_real_output_validates_against_the_official_schema(tmp_path: Path, run: Any) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF 2.1.0 schema not found at {SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    doc = _sarif(run, write(tmp_path, PROJECT))
    # The project exercises related locations, a notebook, a parse error and a percent-encoded path.
    results = _results(doc)
    assert any("relatedLocations" in r for r in results)
    assert any(_uri(r).endswith(".ipynb") for r in results)
    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_run_shape_and_rule_descriptors(tmp_path: Path, run: Any) -> None:
    doc = _sarif(run, write(tmp_path, PROJECT))
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mlaudit" and driver["semanticVersion"]
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and {"MLA001", "XCI001", "XCI002"} <= set(ids)
    meta = next(r for r in rules if r["id"] == "MLA001")
    assert meta["name"] == "parse-error"
    assert meta["shortDescription"]["text"].startswith("File could not be analysed")
    assert (
        meta["fullDescription"]["text"]
        and meta["fullDescription"]["text"] != meta["shortDescription"]["text"]
    )
    assert meta["help"]["markdown"].startswith("# parse-error (MLA001)")  # the catalogue README
    assert meta["help"]["text"]
    assert meta["defaultConfiguration"]["level"] == "error"
    assert meta["properties"] == {"tags": ["meta", "ml"], "precision": "high", "problem.severity": "error"}
    probe = next(r for r in rules if r["id"] == "XCI001")  # no catalogue folder: falls back to the message
    assert probe["help"]["markdown"].startswith("# legacy-call (XCI001)")
    assert probe["defaultConfiguration"]["level"] == "warning"
    assert probe["properties"]["problem.severity"] == "warning"
    assert doc["runs"][0]["columnKind"] == "unicodeCodePoints"
    for r in _results(doc):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("error", "warning", "note")
        assert r["partialFingerprints"]["mlaudit/v1"]


def test_results_locations_related_and_fingerprints(tmp_path: Path, run: Any) -> None:
    doc = _sarif(run, write(tmp_path, PROJECT))
    results = _results(doc)
    call = next(r for r in results if r["ruleId"] == "XCI001" and _uri(r) == "pkg/a.py")
    phys = call["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "pkg/a.py", "uriBaseId": "%SRCROOT%"}
    # `    return legacy_call(1)`: 1-based columns, exclusive end.
    assert phys["region"] == {"startLine": 5, "startColumn": 12, "endLine": 5, "endColumn": 26}
    assert call["message"]["text"] == "Call to legacy_call: use new_call"

    shared = next(r for r in results if r["ruleId"] == "XCI002")
    assert _uri(shared) == "pkg/a.py"
    (related,) = shared["relatedLocations"]
    assert related["id"] == 1
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "pkg/b.py"
    assert related["physicalLocation"]["region"]["startLine"] == 2
    assert "also imported in pkg/b.py" in related["message"]["text"]
    assert "[pkg/b.py:2:1](1)" in shared["message"]["text"]  # an embedded link to the related location

    encoded = next(r for r in results if "my" in _uri(r))
    assert _uri(encoded) == "pkg/my%20file%20%C3%BC.py"
    fps = [r["partialFingerprints"]["mlaudit/v1"] for r in results]
    assert len(fps) == len(set(fps))


def test_notebook_result_points_into_the_ipynb_and_names_the_cell(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, PROJECT)
    doc = _sarif(run, root)
    nb = next(r for r in _results(doc) if _uri(r) == "notebooks/explore.ipynb")
    assert "(cell 2, line 3)" in nb["message"]["text"]
    region = nb["locations"][0]["physicalLocation"]["region"]
    lines = (root / "notebooks/explore.ipynb").read_text(encoding="utf-8").splitlines()
    assert "legacy_call(2)" in lines[region["startLine"] - 1]
    assert "startColumn" not in region  # a column in the cell is not a column of the JSON file


def test_parse_errors_become_tool_notifications(tmp_path: Path, run: Any) -> None:
    doc = _sarif(run, write(tmp_path, PROJECT))
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "syntax error" in note["message"]["text"]


def test_uris_are_repository_relative_in_a_monorepo(tmp_path: Path, run: Any) -> None:
    git(tmp_path, "init", "-q")
    project = write(tmp_path / "services" / "scoring", {"pkg/a.py": "legacy_call()\n"})
    doc = _sarif(run, project)
    (result,) = _results(doc)
    assert _uri(result) == "services/scoring/pkg/a.py"
    base = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file://") and base.endswith("/")


def test_render_without_rule_metadata_still_describes_every_rule() -> None:
    finding = Finding(
        code="XCI001",
        name="legacy-call",
        category="purity",
        severity=Severity.INFO,
        message="m",
        filename="a.py",
        location=Location(row=1, column=1),
        end_location=Location(row=1, column=5),
    )
    report = Report(tool=Tool(version="0"), summary=Summary(findings=1), findings=[finding])
    doc = json.loads(sarif.render(report, reporters.RenderContext(format="sarif")))
    (rule,) = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "XCI001" and rule["defaultConfiguration"]["level"] == "note"
    (result,) = doc["runs"][0]["results"]
    assert result["level"] == "note" and "partialFingerprints" not in result
