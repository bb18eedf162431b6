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

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _classname(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename.rsplit("/", 1)[-1] else filename
    return stem.replace("/", ".")


def render(report: Report, ctx: RenderContext) -> str:
    by_file: dict[str, list[Finding | FileError]] = defaultdict(list)
    for f in report.findings:
        by_file[f.filename].append(f)
    for err in report.errors:
        if not any(isinstance(x, Finding) and x.code == err.code for x in by_file.get(err.filename, [])):
            by_file[err.filename].append(err)
    failures = sum(1 for items in by_file.values() for x in items if isinstance(x, Finding))
    errors = sum(1 for items in by_file.values() for x in items if isinstance(x, FileError))
    total = failures + errors
    root = ET.Element(
        "testsuites",
        name="mlaudit",
        tests=str(total or 1),
        failures=str(failures),
        errors=str(errors),
        time=f"{report.summary.duration_s:.3f}",
    )
    if not by_file:
        suite = ET.SubElement(
            root, "testsuite", name="mlaudit", tests="1", failures="0", errors="0", skipped="0"
        )
        ET.SubElement(
            suite,
            "testcase",
            name=f"no findings in {report.summary.files} files",
            classname="mlaudit",
        )
    for filename in sorted(by_file):
        items = by_file[filename]
        n_fail = sum(1 for x in items if isinstance(x, Finding))
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
                lines = [
                    f"{pos}: {item.code} [{item.name}] {item.message}",
                    f"severity: {item.severity.value}",
                ]
                lines += [
                    f"related: {where(r.filename, r.cell, r.location)}: {r.message}" for r in item.related
                ]
                if item.url:
                    lines.append(f"docs: {item.url}")
                failure.text = _x("\n".join(lines))
            else:
                error = ET.SubElement(case, "error", message=_x(item.message), type=_x(item.code))
                error.text = _x(f"{pos}: {item.code} {item.message}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
