"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it)
driven over the DevTools pipe. Skipped, with the reason, only when no Chromium is installed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.audit import run_audit
from mlaudit.audit.output import render
from tests.audit.chromium import Chromium, find_chromium
from tests.conftest import REPO

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium is not installed (apt-get install chromium; .ci/run does it)",
    ),
]

AREAS = ("boundaries", "separation", "configuration", "contracts", "reproducibility", "hygiene")

# Everything the test needs from the rendered page, measured by the browser's own layout.
PROBE = """JSON.stringify((() => {
  const visible = (el) => { if (!el) return false; const r = el.getBoundingClientRect();
    const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const link = document.querySelector('a.loc[data-line]');
  return {
    title: document.title,
    scorecard: visible(document.getElementById('scorecard')),
    gauge: visible(document.querySelector('svg.gauge')),
    grade: (document.getElementById('overall-grade') || {}).textContent,
    areas: AREAS_JSON.map((id) => [id, visible(document.getElementById('area-' + id)), visible(document.getElementById('tile-' + id))]),
    graph: visible(document.querySelector('svg.graph')),
    charts: document.querySelectorAll('svg.chart').length,
    link: link && {href: link.getAttribute('href'), resolved: link.href, file: link.dataset.file, line: link.dataset.line, text: link.textContent},
    scripts: document.scripts.length,
    width: document.documentElement.scrollWidth,
  };
})())""".replace("AREAS_JSON", json.dumps(list(AREAS)))


@pytest.fixture(scope="module")
def legacy_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    run = run_audit(REPO / "examples" / "legacy_project", api.CheckOptions(no_cache=True), use_git=False)
    out.write_text(render(run, "html", output_file=out), encoding="utf-8")
    return out


def test_report_renders_in_chromium(legacy_report: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    with Chromium(CHROMIUM) as browser:
        browser.open(legacy_report.as_uri())
        page = json.loads(browser.evaluate(PROBE))
        screenshot = tmp_path / "audit-report.png"
        browser.screenshot(screenshot)
        errors = browser.console_errors()
        # The same page with JavaScript disabled (DevTools can still evaluate; the page itself has none).
        browser.call("Emulation.setScriptExecutionDisabled", {"value": True})
        browser.open(legacy_report.as_uri())
        without_js = json.loads(browser.evaluate(PROBE))
    assert errors == []
    assert page["title"].startswith("mlaudit audit: ")
    assert page["scorecard"] and page["gauge"] and page["grade"] in ("D", "F")
    assert all(in_area and in_tile for _, in_area, in_tile in page["areas"]), page["areas"]
    assert page["graph"] and page["charts"] >= 2
    assert page["scripts"] == 0
    link = page["link"]
    assert not link["href"].startswith(("/", "file:")) and link["href"].endswith(
        f"{link['file']}#L{link['line']}"
    )
    target = Path(link["resolved"].removeprefix("file://").split("#")[0])
    assert target == REPO / "examples" / "legacy_project" / link["file"]
    assert target.is_file()
    assert link["resolved"].endswith(f"#L{link['line']}") and link["text"] == f"{link['file']}:{link['line']}"
    assert screenshot.stat().st_size > 20_000 and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert without_js["scorecard"] and all(in_area and in_tile for _, in_area, in_tile in without_js["areas"])


def test_console_errors_are_caught(tmp_path: Path) -> None:
    """The console check can fail: a page that logs an error and loads a missing image is reported."""
    assert CHROMIUM is not None
    page = tmp_path / "broken.html"
    page.write_text('<html><body><script>console.error("boom")</script><img src="missing.png"></body></html>')
    with Chromium(CHROMIUM) as browser:
        browser.open(page.as_uri())
        errors = browser.console_errors()
    assert any("boom" in e for e in errors)
