"""The precision script of the real-world corpus (tests/benchmarks/realworld/precision.py):
matching findings with labels, per-rule arithmetic, recall regressions, seeded samples."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "realworld" / "precision.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realworld_precision", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


precision = _load()


def finding(code: str, path: str, row: int, repo: str = "r", cell: int | None = None) -> dict[str, object]:
    return {
        "repo": repo,
        "commit": "c" * 40,
        "code": code,
        "path": path,
        "cell": cell,
        "row": row,
        "message": "m",
    }


def label(
    code: str, path: str, row: int, verdict: str, repo: str = "r", **extra: object
) -> dict[str, object]:
    return {
        "repo": repo,
        "commit": "c" * 40,
        "code": code,
        "path": path,
        "row": row,
        "verdict": verdict,
        "reason": "why",
        **extra,
    }


def write_labels(folder: Path, name: str, items: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(items), encoding="utf-8")


def test_per_rule_counts_and_precision(tmp_path: Path) -> None:
    write_labels(tmp_path, "a.json", [label("MLA103", "a.py", 1, "tp"), label("MLA103", "a.py", 5, "fp")])
    write_labels(tmp_path, "b.json", [label("MLA201", "b.py", 2, "tp")])
    labels, warnings = precision.load_labels(tmp_path)
    findings = [
        finding("MLA103", "a.py", 1),
        finding("MLA103", "a.py", 5),
        finding("MLA103", "a.py", 9),
        finding("MLA201", "b.py", 2),
        finding("MLA201", "b.py", 3, repo="other"),
    ]
    stats = precision.rule_stats(findings, labels)
    assert warnings == []
    mla103, mla201 = stats["MLA103"], stats["MLA201"]
    assert (mla103.findings, mla103.labelled, mla103.tp, mla103.fp, mla103.unlabelled) == (3, 2, 1, 1, 1)
    assert mla103.precision == pytest.approx(0.5)
    assert (mla201.findings, mla201.tp, mla201.unlabelled) == (2, 1, 1)  # other repo: no label
    assert mla201.precision == 1.0
    assert [f["row"] for f in precision.unlabelled(findings, labels)] == [9, 3]
    assert "| **all** | 5 | 3 | 2 | 1 | 67% | 2 |" in precision.precision_table(stats)


def test_notebook_findings_match_on_cell(tmp_path: Path) -> None:
    write_labels(tmp_path, "a.json", [label("MLA103", "n.ipynb", 1, "fp", cell=3)])
    labels, _ = precision.load_labels(tmp_path)
    stats = precision.rule_stats(
        [finding("MLA103", "n.ipynb", 1, cell=3), finding("MLA103", "n.ipynb", 1, cell=4)], labels
    )
    assert (stats["MLA103"].fp, stats["MLA103"].unlabelled) == (1, 1)


def test_lost_true_findings_only_for_repositories_and_rules_run(tmp_path: Path) -> None:
    write_labels(
        tmp_path,
        "a.json",
        [
            label("MLA103", "a.py", 1, "tp"),  # still reported
            label("MLA103", "a.py", 2, "tp"),  # lost
            label("MLA103", "a.py", 3, "fp"),  # gone, but it was a false positive: fine
            label("MLA201", "a.py", 4, "tp"),  # rule not selected
            label("MLA103", "a.py", 5, "tp", repo="not-run"),
        ],
    )
    labels, _ = precision.load_labels(tmp_path)
    lost = precision.lost_true_findings([finding("MLA103", "a.py", 1)], labels, {"r"}, {"MLA103"})
    assert [(x["code"], x["row"]) for x in lost] == [("MLA103", 2)]
    everything = precision.lost_true_findings([finding("MLA103", "a.py", 1)], labels, {"r"}, None)
    assert [(x["code"], x["row"]) for x in everything] == [("MLA103", 2), ("MLA201", 4)]


def test_labels_from_several_folders_conflicts_and_invalid_verdicts(tmp_path: Path) -> None:
    write_labels(tmp_path / "mine", "a.json", [label("MLA103", "a.py", 1, "tp")])
    write_labels(
        tmp_path / "theirs", "b.json", [label("MLA103", "a.py", 1, "fp"), label("MLA103", "a.py", 2, "no")]
    )
    write_labels(tmp_path / "theirs", "c.json", [label("MLA201", "a.py", 3, "tp")])
    labels, warnings = precision.load_labels(tmp_path / "mine", tmp_path / "theirs")
    assert labels[("r", "MLA103", "a.py", None, 1)]["verdict"] == "fp"  # the later file wins
    assert ("r", "MLA201", "a.py", None, 3) in labels
    assert len(warnings) == 2 and "was tp in a.json" in warnings[0] and "verdict must be" in warnings[1]


def test_sample_is_seeded_and_capped_per_rule() -> None:
    items = [finding("MLA103", "a.py", i) for i in range(1, 30)] + [finding("MLA201", "b.py", 1)]
    first = precision.sample_per_rule(items, 5, seed=11)
    assert first == precision.sample_per_rule(items, 5, seed=11)
    assert first != precision.sample_per_rule(items, 5, seed=12)
    assert [f["code"] for f in first].count("MLA103") == 5
    assert [f["code"] for f in first].count("MLA201") == 1


def test_main_prints_table_and_regressions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels = tmp_path / "labels"
    write_labels(labels, "a.json", [label("MLA103", "a.py", 1, "fp"), label("MLA103", "a.py", 7, "tp")])
    findings = tmp_path / "findings.jsonl"
    findings.write_text(json.dumps(finding("MLA103", "a.py", 1)) + "\n", encoding="utf-8")
    assert precision.main([str(findings), "--labels", str(labels)]) == 0
    out = capsys.readouterr().out
    assert "| MLA103 | 1 | 1 | 0 | 1 | 0% | 0 |" in out
    assert "no longer reported: 1" in out and "a.py:7 MLA103" in out


def test_tp_of_rules_the_run_did_not_check_are_not_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels"
    write_labels(labels, "a.json", [label("MLA103", "a.py", 7, "tp"), label("MLA301", "a.py", 9, "tp")])
    findings = tmp_path / "findings.jsonl"
    findings.write_text(json.dumps(finding("MLA103", "b.py", 1)) + "\n", encoding="utf-8")
    run = {"select": "", "rules": ["MLA103"], "repos": [{"name": "r"}]}
    (tmp_path / "run.json").write_text(json.dumps(run), encoding="utf-8")
    assert precision.main([str(findings), "--labels", str(labels)]) == 0
    out = capsys.readouterr().out
    assert "no longer reported: 1" in out and "a.py:7 MLA103" in out and "MLA301" not in out
