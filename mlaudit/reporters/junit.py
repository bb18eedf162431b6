"""``junit``: JUnit XML for CI test-report views (GitLab ``artifacts:reports:junit``, Jenkins, Azure...).

One ``<testsuite>`` per file with findings, one ``<testcase>`` per finding holding a ``<failure>``;
a file mlaudit could not analyse gets an ``<error>`` testcase. A clean run is one passing testcase, so
the view shows that the audit ran. Text goes through ElementTree (which escapes markup) after removing
the characters XML 1.0 cannot carry at all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from mlaudit.model import FileError, Finding, Report
from mlaudit.reporters._hosting import where

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext

Item = Finding | FileError
"""A testcase: a finding fails, a file mlaudit could not analyse errors."""

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _classname(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename.rsplit("/", 1)[-1] else filename
    return stem.replace("/", ".")


def render(report: Report, ctx: RenderContext) -> str:
    by_file = _by_file(report)
    root = _testsuites(report, by_file)
    if not by_file:
        _passing_suite(root, report.summary.files)
    for filename in sorted(by_file):
        _file_suite(root, filename, by_file[filename])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _by_file(report: Report) -> dict[str, list[Item]]:
    """Findings, then the file errors no finding of the same code reports already, per file."""
    by_file: dict[str, list[Item]] = defaultdict(list)
    for f in report.findings:
        by_file[f.filename].append(f)
    for err in report.errors:
        if not any(isinstance(x, Finding) and x.code == err.code for x in by_file.get(err.filename, [])):
            by_file[err.filename].append(err)
    return by_file


def _failures(items: list[Item]) -> int:
    return sum(1 for x in items if isinstance(x, Finding))


def _testsuites(report: Report, by_file: dict[str, list[Item]]) -> ET.Element:
    """The root element with the totals (a clean run counts its one passing testcase)."""
    failures = sum(_failures(items) for items in by_file.values())
    errors = sum(len(items) for items in by_file.values()) - failures
    return ET.Element(
        "testsuites",
        name="mlaudit",
        tests=str(failures + errors or 1),
        failures=str(failures),
        errors=str(errors),
        time=f"{report.summary.duration_s:.3f}",
    )


def _passing_suite(root: ET.Element, files: int) -> None:
    """A clean run: one passing testcase, so the view shows that the audit ran."""
    suite = ET.SubElement(root, "testsuite", name="mlaudit", tests="1", failures="0", errors="0", skipped="0")
    ET.SubElement(suite, "testcase", name=f"no findings in {files} files", classname="mlaudit")


def _file_suite(root: ET.Element, filename: str, items: list[Item]) -> None:
    n_fail = _failures(items)
    suite = ET.SubElement(
        root,
        "testsuite",
        name=_x(filename),
        tests=str(len(items)),
        failures=str(n_fail),
        errors=str(len(items) - n_fail),
        skipped="0",
    )
    for item in items:
        _testcase(suite, filename, item)


def _testcase(suite: ET.Element, filename: str, item: Item) -> None:
    pos = where(item.filename, item.cell, item.location)
    case = ET.SubElement(
        suite,
        "testcase",
        name=_x(f"{item.code} {item.name if isinstance(item, Finding) else 'parse-error'} at {pos}"),
        classname=_x(_classname(filename)),
        file=_x(filename),
        line=str(item.location.row),
    )
    if isinstance(item, Finding):
        failure = ET.SubElement(
            case, "failure", message=_x(item.message), type=_x(f"{item.code} {item.name}")
        )
        failure.text = _x("\n".join(_failure_lines(item, pos)))
    else:
        error = ET.SubElement(case, "error", message=_x(item.message), type=_x(item.code))
        error.text = _x(f"{pos}: {item.code} {item.message}")


def _failure_lines(f: Finding, pos: str) -> list[str]:
    lines = [f"{pos}: {f.code} [{f.name}] {f.message}", f"severity: {f.severity.value}"]
    lines += [f"related: {where(r.filename, r.cell, r.location)}: {r.message}" for r in f.related]
    if f.url:
        lines.append(f"docs: {f.url}")
    return lines
