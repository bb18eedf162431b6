"""The legacy twin shows every rule that applies to such code: the exact set of codes is pinned, and
the reference pipeline next to it stays clean."""

from __future__ import annotations

from mlaudit import api
from tests.conftest import REPO

LEGACY = REPO / "examples" / "legacy_project"

EXPECTED = {
    # MLA001 is the one rule that cannot fire here: every legacy file must parse for the others.
    "MLA002", "MLA003",
    "MLA101", "MLA102", "MLA103", "MLA104",
    "MLA201", "MLA202", "MLA203",
    "MLA301", "MLA302", "MLA303", "MLA304", "MLA305",
    "MLA401", "MLA402", "MLA403",
    "MLA501", "MLA502",
    "MLA601", "MLA602", "MLA603",
    "MLA701", "MLA702", "MLA703", "MLA704",
}  # fmt: skip


def test_legacy_project_fires_exactly_the_expected_rules() -> None:
    report = api.check([LEGACY], api.CheckOptions(no_cache=True))
    assert set(report.summary.by_code) == EXPECTED
    assert report.errors == []


def test_every_registered_rule_but_parse_error_is_demonstrated() -> None:
    codes = {r.code for r in api.registry(plugins=False).rules}
    assert codes - EXPECTED == {"MLA001"}
