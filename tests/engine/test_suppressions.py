from __future__ import annotations

from pathlib import Path

from tests.conftest import notebook, write_files
from tests.engine.probe_rules import run


def rows(report, code="XTS001"):  # type: ignore[no-untyped-def]
    return sorted((f.filename, f.location.row) for f in report.findings if f.code == code)


def test_trailing_directive_covers_a_multi_line_statement(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"a.py": ("print(\n    'a',\n)  # mlaudit: ignore[print-call] reviewed\nprint('b')\n")},
    )
    report = run(tmp_path)
    assert rows(report) == [("a.py", 4)]
    assert report.summary.suppressed == 1


def test_own_line_directive_applies_to_the_next_statement_only(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"a.py": "# mlaudit: ignore[XTS001]\nprint(\n    'a'\n)\nprint('b')\n"},
    )
    assert rows(run(tmp_path)) == [("a.py", 5)]


def test_codes_and_names_and_file_ignore(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a.py": "# mlaudit: file-ignore[print-call]\nprint(1)\nprint(2)\n",
            "b.py": "print(1)  # mlaudit: ignore[XTS001, MLA001]\n",
        },
    )
    report = run(tmp_path)
    assert rows(report) == []
    # MLA001 is selected, named, and suppressed nothing.
    assert rows(report, "MLA002") == [("b.py", 1)]


def test_malformed_or_unknown_directive_suppresses_nothing(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a.py": (
                "print(1)  # mlaudit ignore[print-call]\n"
                "print(2)  # mlaudit: ignore[print-cal]\n"
                "print(3)  # mlaudit: ignore[]\n"
                "print(4)  # mlaudit: ignore print-call\n"
            )
        },
    )
    report = run(tmp_path)
    assert rows(report) == [("a.py", 1), ("a.py", 2), ("a.py", 3), ("a.py", 4)]
    assert rows(report, "MLA003") == [("a.py", 1), ("a.py", 2), ("a.py", 3), ("a.py", 4)]
    messages = {f.location.row: f.message for f in report.findings if f.code == "MLA003"}
    assert "unknown rule `print-cal`" in messages[2]


def test_directive_inside_a_string_is_not_a_directive(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.py": "text = '# mlaudit: ignore[print-call]'\nprint(text)\n"})
    report = run(tmp_path)
    assert rows(report) == [("a.py", 2)]
    assert rows(report, "MLA003") == []


def test_unused_suppression_only_for_enabled_rules(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"a.py": "x = 1  # mlaudit: ignore[print-call]\ny = 2  # mlaudit: ignore[XTS002]\n"}
    )
    report = run(tmp_path)
    assert rows(report, "MLA002") == [("a.py", 1)]


def test_suppression_in_a_notebook_cell(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"nb.ipynb": notebook("x = 1", "print(x)  # mlaudit: ignore[print-call]\nprint(2)")}
    )
    report = run(tmp_path)
    found = [(f.cell, f.location.row) for f in report.findings if f.code == "XTS001"]
    assert found == [(2, 2)]


def test_per_file_ignores_with_negation(tmp_path: Path) -> None:
    write_files(tmp_path, {"scripts/a.py": "print(1)\n", "pkg/b.py": "print(1)\n"})
    assert rows(run(tmp_path, per_file_ignores={"scripts/*": ["print-call"]})) == [("pkg/b.py", 1)]
    assert rows(run(tmp_path, per_file_ignores={"!scripts/*": ["XTS"]})) == [("scripts/a.py", 1)]


def test_prose_mentioning_mlaudit_is_not_a_directive(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"a.py": "# mlaudit's cache lives in .mlaudit_cache\nx = 1  # mlaudit is run by pre-commit\n"},
    )
    report = run(tmp_path)
    assert rows(report, "MLA003") == []
