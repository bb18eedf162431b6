"""The uncoloured terminal text is written without rich (start-up, issue 12 item 6): it must be exactly
what rich prints, and rich must still render whatever it would rewrite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mlaudit import api, reporters
from mlaudit.model import FileError, Finding, Location, Related, Report, Summary, Tool
from mlaudit.reporters import text

REPO = Path(__file__).resolve().parents[1]


def _finding(message: str = "do this", cell: int | None = None, related: list[Related] | None = None) -> Finding:
    return Finding(
        code="MLA101",
        name="global-statement",
        category="state",
        severity="warning",
        message=message,
        filename="pkg/a.py",
        location=Location(row=3, column=5),
        end_location=Location(row=3, column=9),
        cell=cell,
        related=related or [],
    )


def _report(findings: list[Finding], errors: list[FileError] | None = None, warnings: list[str] | None = None) -> Report:
    return Report(
        tool=Tool(version="0"),
        summary=Summary(files=2, findings=len(findings), by_severity={"error": 0, "warning": len(findings), "info": 0}),
        findings=findings,
        errors=errors or [],
        warnings=warnings or [],
    )


SOURCES = {
    "plain": "    global CACHE  # ünï ✓ 漢字",
    "long": "x = " + "a" * 400,
    "tab": "\tglobal CACHE",
    "control": "global\x07CACHE",
    "none": None,
}


@pytest.mark.parametrize("fmt", ["full", "concise"])
@pytest.mark.parametrize("source", list(SOURCES))
def test_plain_text_is_what_rich_prints(fmt: str, source: str) -> None:
    related = [Related(filename="pkg/b.py", location=Location(row=1, column=1), cell=2, message="also [here]")]
    findings = [_finding(related=related), _finding("with [brackets] and :smile: codes", cell=4)]
    errors = [FileError(filename="pkg/c.py", message="invalid syntax [x]"), FileError(filename="pkg/a.py", message="x")]
    for warnings in ([], ["plain warning"], ["a [bold]markup[/bold] warning"], ["an :thumbs_up: emoji"]):
        report = _report(findings, errors, warnings)
        ctx = reporters.RenderContext(
            format=fmt, source_line=lambda f: SOURCES[source], display_path=lambda p: f"../{p}"
        )
        assert text.render(report, ctx) == text._rich_render(report, ctx)
    # rich renders what it would rewrite: tabs, control characters, markup and emoji codes in warnings
    plain = text.plain_render(_report(findings, errors, ["plain warning"]), ctx)
    assert (plain is None) == (fmt == "full" and source in ("tab", "control"))
    assert text.plain_render(_report(findings, errors, ["an :thumbs_up: emoji"]), ctx) is None


def test_plain_text_of_the_legacy_example_is_what_rich_prints(tmp_path: Path) -> None:
    root = REPO / "examples" / "legacy_project"
    options = api.CheckOptions(overrides={"select": ("ALL",)}, cache_dir=tmp_path / "cache", jobs=1)
    report = api.check([root], options)
    assert report.findings
    loaded = api.load_config([root], options)
    for fmt in ("full", "concise"):
        ctx = reporters.RenderContext(
            format=fmt,
            root=loaded.root,
            source_line=lambda f: api.source_line(loaded.root, f, loaded.settings.max_file_size),
        )
        plain = text.plain_render(report, ctx)
        assert plain is not None and plain == text._rich_render(report, ctx)


def test_a_plain_render_imports_no_rich() -> None:
    code = (
        "import sys\n"
        "from mlaudit import reporters\n"
        "from mlaudit.reporters import text\n"
        "from mlaudit.model import Report, Summary, Tool\n"
        "report = Report(tool=Tool(version='0'), summary=Summary(files=1))\n"
        "out = text.render(report, reporters.RenderContext())\n"
        "assert out == 'Found 0 findings in 1 file.\\n', out\n"
        "assert 'rich' not in sys.modules\n"
        "text.render(report, reporters.RenderContext(color=True))\n"
        "assert 'rich' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
