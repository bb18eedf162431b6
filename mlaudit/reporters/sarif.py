"""``sarif``: SARIF 2.1.0 as GitHub code scanning accepts it (linter-conventions.md §4.3, §12 E5).

One run; ``tool.driver.rules`` describes every enabled rule (``RenderContext.rules``, filled by the
CLI from the registry and the catalogue: the rule's README becomes ``help.markdown``). Each result has
one repository-relative location (``uriBaseId: %SRCROOT%``, forward slashes, percent-encoded; never an
absolute URI), ``relatedLocations`` for the other sides of cycles and clones (linked from the message,
as SARIF §3.11.6 embedded links), and the finding's line-independent fingerprint as
``partialFingerprints["mlaudit/v1"]``. Columns count Unicode code points, as mlaudit's do.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mlaudit.model import Finding, Report, Severity
from mlaudit.reporters._hosting import (
    SARIF_LEVEL,
    Region,
    finding_region,
    region,
    related_region,
    repo_path,
    where,
)

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "mlaudit/v1"
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}


def render(report: Report, ctx: RenderContext) -> str:
    return json.dumps(sarif_log(report, ctx), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, ctx: RenderContext) -> dict[str, Any]:
    rules, index = _rules(report, ctx)
    driver: dict[str, Any] = {"name": report.tool.name, "semanticVersion": report.tool.version}
    home = information_uri()
    if home:
        driver["informationUri"] = home
    driver["rules"] = rules
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [_invocation(report, ctx)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, ctx, index) for f in report.findings],
    }
    if ctx.repo_root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": ctx.repo_root.resolve().as_uri().rstrip("/") + "/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def uri(ctx: RenderContext, filename: str) -> str:
    """Repository-relative, forward slashes, percent-encoded (RFC 3986), never absolute."""
    return quote(repo_path(ctx, filename), safe="/")


def _physical(ctx: RenderContext, filename: str, reg: Region) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": reg.line}
    if reg.column is not None:
        region["startColumn"] = reg.column
    if reg.end_line is not None:
        region["endLine"] = reg.end_line
        if reg.end_column is not None:
            region["endColumn"] = reg.end_column
    return {"artifactLocation": {"uri": uri(ctx, filename), "uriBaseId": "%SRCROOT%"}, "region": region}


def _escape_link_text(text: str) -> str:
    # Embedded-link text may not contain unescaped brackets (SARIF §3.11.6).
    return re.sub(r"([\[\]\\])", r"\\\1", text)


def _result(f: Finding, ctx: RenderContext, index: dict[str, int]) -> dict[str, Any]:
    reg = finding_region(ctx, f)
    text = f.message.rstrip() + reg.cell_note
    related = []
    links = []
    for i, rel in enumerate(f.related, start=1):
        rreg = related_region(ctx, rel)
        entry: dict[str, Any] = {"id": i, "physicalLocation": _physical(ctx, rel.filename, rreg)}
        label = where(rel.filename, rel.cell, rel.location)
        detail = (rel.message or "related location") + rreg.cell_note
        entry["message"] = {"text": f"{detail}: {label}"}
        related.append(entry)
        links.append(f"[{_escape_link_text(label)}]({i})")
    if links:
        text = text.rstrip(".") + ". Related: " + ", ".join(links) + "."
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(ctx, f.filename, reg)}],
    }
    if related:
        result["relatedLocations"] = related
    if f.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    fixes = _fixes(f, ctx)
    if fixes:
        result["fixes"] = fixes
    return result


def _fixes(f: Finding, ctx: RenderContext) -> list[dict[str, Any]]:
    """The finding's available fix as a SARIF ``fix`` (§3.55): whole-line replacements per file. Left
    out for notebooks (their rows count within a cell, SARIF regions within the file's JSON)."""
    fix = f.fix
    if fix is None or not fix.edits or f.cell is not None:
        return []
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        filename = edit.filename or f.filename
        if edit.cell is not None or filename.endswith(".ipynb"):
            return []
        region = {
            "startLine": edit.location.row,
            "startColumn": edit.location.column,
            "endLine": edit.end_location.row,
            "endColumn": edit.end_location.column,
        }
        changes.setdefault(filename, []).append(
            {"deletedRegion": region, "insertedContent": {"text": edit.content}}
        )
    return [
        {
            "description": {"text": f"{fix.message} ({fix.applicability} fix)"},
            "artifactChanges": [
                {"artifactLocation": {"uri": uri(ctx, name), "uriBaseId": "%SRCROOT%"}, "replacements": reps}
                for name, reps in changes.items()
            ],
        }
    ]


def _section(markdown: str, heading: str) -> str:
    """The text of ``## heading`` in a rule README (up to the next ``## ``), or ''."""
    lines = markdown.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip().lower() == heading.lower()
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def _plain(markdown: str) -> str:
    """Markdown paragraph -> one line of plain text (code spans keep their backticks)."""
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown)
    return " ".join(text.split())


def _descriptor(meta: dict[str, Any]) -> dict[str, Any]:
    code = str(meta["code"])
    name = _text(meta, "name", code)
    summary = _text(meta, "summary", name)
    severity = Severity(_text(meta, "severity", _text(meta, "default_severity", "warning")))
    readme = _text(meta, "readme", "")
    help_md = readme.strip() or f"# {name} ({code})\n\n{summary}\n"
    descriptor: dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _what_it_does(readme) or summary},
        "help": {"text": help_md, "markdown": help_md},
        "defaultConfiguration": {"level": SARIF_LEVEL[severity]},
        "properties": {
            "tags": list(dict.fromkeys([_text(meta, "category", "ml"), "ml"])),
            "precision": _text(meta, "precision", "high"),
            "problem.severity": _PROBLEM_SEVERITY[severity],
        },
    }
    url = _text(meta, "help_uri", "") or _text(meta, "url", "")
    if url.startswith(("https://", "http://")):
        descriptor["helpUri"] = url
    return descriptor


def _text(meta: dict[str, Any], key: str, default: str) -> str:
    """``meta[key]`` as text; ``default`` when it is missing or empty."""
    return str(meta.get(key) or default)


def _what_it_does(readme: str) -> str:
    """The first paragraph of the README's ``## What it does``, as one line of plain text."""
    return _plain(_section(readme, "What it does").split("\n\n")[0]) if readme else ""


def _rules(report: Report, ctx: RenderContext) -> tuple[list[dict[str, Any]], dict[str, int]]:
    metas: dict[str, dict[str, Any]] = {}
    for meta in ctx.rules:
        metas.setdefault(str(meta["code"]), dict(meta))
    for f in report.findings:  # a finding of a rule the context does not describe still needs a descriptor
        if f.code not in metas:
            metas[f.code] = {
                "code": f.code,
                "name": f.name,
                "category": f.category,
                "summary": f.message,
                "severity": f.severity.value,
            }
    codes = sorted(metas)
    return [_descriptor(metas[c]) for c in codes], {c: i for i, c in enumerate(codes)}


def _invocation(report: Report, ctx: RenderContext) -> dict[str, Any]:
    notes: list[dict[str, Any]] = []
    for err in report.errors:
        reg = region(ctx, err.filename, err.cell, err.location, None)
        notes.append(
            {
                "level": "error",
                "message": {"text": f"{err.code} {err.message}{reg.cell_note}"},
                "locations": [{"physicalLocation": _physical(ctx, err.filename, reg)}],
            }
        )
    for warning in report.warnings:
        notes.append({"level": "warning", "message": {"text": warning}})
    invocation: dict[str, Any] = {"executionSuccessful": not report.internal_error}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def information_uri() -> str | None:
    """mlaudit's home page from its package metadata (``[project.urls]``), when it declares one."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        meta = metadata("mlaudit")
    except (ImportError, PackageNotFoundError):
        return None
    candidates = [meta["Home-page"] or ""] if "Home-page" in meta else []
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "repository", "source"):
            candidates.append(url.strip())
    return next((c for c in candidates if c.startswith(("https://", "http://"))), None)
