"""ONE test runs every rule folder of the catalogue: the docs cannot drift from behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit import api
from tests import catalogue
from tests.catalogue import REQUIRED_HEADINGS, Entry, entries, expected, reported, run

ENTRIES = entries()


def _bad(entry: Entry):
    for name in ("bad.py", "bad"):
        path = entry.folder / name
        if path.exists():
            return path
    return None


def _clean_targets(entry: Entry):
    targets = [entry.folder / n for n in ("good.py", "good") if (entry.folder / n).exists()]
    cases = entry.folder / "cases"
    if cases.is_dir():
        targets += sorted(p for p in cases.iterdir() if p.suffix in (".py", ".ipynb") or p.is_dir())
    return targets


def test_catalogue_matches_registry_one_to_one() -> None:
    reg = api.registry(plugins=False)
    in_catalogue = {(e.family, e.code, e.name) for e in ENTRIES}
    in_registry = {(r.category, r.code, r.name) for r in reg.rules}
    assert in_catalogue == in_registry


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_readme_has_required_sections(entry: Entry) -> None:
    readme = entry.folder / "README.md"
    assert readme.is_file(), f"{entry.folder} has no README.md"
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"# {entry.name} ({entry.code})"), "README must start with '# <name> (<CODE>)'"
    missing = [h for h in REQUIRED_HEADINGS if h not in text]
    assert not missing, f"README lacks {missing}"
    assert "TODO" not in text, "README still has the scaffold's TODO placeholders"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_bad_example_reports_exactly_the_marked_lines(entry: Entry) -> None:
    bad = _bad(entry)
    assert bad is not None, f"{entry.folder} has neither bad.py nor bad/"
    want = {e for e in expected(bad) if e[3] == entry.code}
    assert want, f"{bad} marks no line with '# expect: {entry.code}'"
    report = run(entry, bad, [entry.code])
    got = {r for r in reported(report) if r[3] == entry.code}
    assert got == want, f"missing: {sorted(want - got)}; unexpected: {sorted(got - want)}"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_good_example_and_cases_are_clean(entry: Entry) -> None:
    targets = _clean_targets(entry)
    assert any(t.name.startswith("good") for t in targets), f"{entry.folder} has no good.py or good/"
    for target in targets:
        assert_clean(entry, target)


def assert_clean(entry: Entry, target: Path) -> None:
    report = run(entry, target, [entry.code])
    # A case that does not parse (or is not found) would pass vacuously: it must be analysed.
    assert not report.errors, f"{target} was not analysed: {[e.message for e in report.errors]}"
    assert report.summary.files > 0, f"{target} holds no file mlaudit analyses"
    assert [f for f in report.findings if f.code == entry.code] == [], f"{target} is not clean"


def test_a_case_that_does_not_parse_fails_the_catalogue(tmp_path: Path) -> None:
    entry = next(e for e in ENTRIES if e.code == "MLA201")
    broken = tmp_path / "broken_case.py"
    broken.write_text("def build_features(df:\n    return open('x.csv')\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="was not analysed"):
        assert_clean(entry, broken)


def test_catalogue_module_is_importable() -> None:
    assert catalogue.CATALOGUE.is_dir()
