"""One self-contained HTML file: the score card, each area with its checks and evidence linking to
``file:line``, the import graph as inline SVG (cycles and layer violations highlighted) and charts
(findings per area, complexity distribution, the trend against ``--compare``).

No network, no CDN, no JavaScript: ``<details>`` folds the evidence, so the page reads the same with
scripts disabled. Links to files are relative to the directory the report is written to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

from mlaudit.audit import svg
from mlaudit.audit.compare import Comparison
from mlaudit.audit.model import AreaResult, AuditReport, CheckResult, Evidence, Status, to_fix

STATUS_LABEL = {Status.PASS: "pass", Status.PARTIAL: "partial", Status.FAIL: "fail", Status.NA: "n/a"}
STATUS_CLASS = {Status.PASS: "pass", Status.PARTIAL: "partial", Status.FAIL: "fail", Status.NA: "na"}

CSS = """
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--A:#1e8e3e;--B:#7cb342;
--C:#f9a825;--D:#ef6c00;--F:#c62828;--na:#9aa5b1;--accent:#3e7cb1}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,
"Noto Sans",sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#1f2933;color:#fff;padding:18px 32px;display:flex;align-items:baseline;gap:16px;
flex-wrap:wrap}
header.top h1{font-size:20px;margin:0;font-weight:650;letter-spacing:.2px}
header.top .root{color:#cbd2d9;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
header.top nav{margin-left:auto;font-size:13px}
header.top nav a{color:#cbd2d9;margin-left:14px;text-decoration:none}
main{max-width:1180px;margin:0 auto;padding:24px 32px 48px}
section{margin-top:28px}
h2{font-size:19px;margin:0 0 12px;font-weight:650}
h3{font-size:15px;margin:0 0 8px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 20px}
.scorecard{display:grid;grid-template-columns:260px 1fr;gap:20px;margin-top:0}
.overall{display:flex;flex-direction:column;align-items:center;justify-content:center;text-align:center}
.overall .label{color:var(--muted);font-size:13px;margin-top:6px}
.overall .delta{font-size:13px;margin-top:4px}
.tiles{display:grid;grid-template-columns:repeat(3,1fr);gap:14px}
.tile{display:block;color:inherit;text-decoration:none;border:1px solid var(--line);border-radius:10px;
padding:12px 14px;background:#fff}
.tile:hover{border-color:var(--accent)}
.tile .name{font-weight:600;font-size:14px}
.tile .row{display:flex;align-items:center;justify-content:space-between;margin-top:6px}
.tile .score{font-size:24px;font-weight:700}
.tile .sub{color:var(--muted);font-size:12px}
.bar{height:6px;background:var(--line);border-radius:3px;overflow:hidden;margin-top:8px}
.bar span{display:block;height:100%}
.grade{display:inline-block;min-width:30px;text-align:center;padding:2px 8px;border-radius:6px;color:#fff;
font-weight:700;font-size:14px}
.g-A{background:var(--A)}.g-B{background:var(--B)}.g-C{background:var(--C)}.g-D{background:var(--D)}
.g-F{background:var(--F)}.g-na{background:var(--na)}
.c-A{color:var(--A)}.c-B{color:var(--B)}.c-C{color:#c17900}.c-D{color:var(--D)}.c-F{color:var(--F)}
.b-A{background:var(--A)}.b-B{background:var(--B)}.b-C{background:var(--C)}.b-D{background:var(--D)}
.b-F{background:var(--F)}.b-na{background:var(--na)}
.check summary .pill{justify-self:start}
a{color:var(--accent)}
.pill{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.pill.pass{background:#e3f4e8;color:#1e6b34}.pill.partial{background:#fff4d6;color:#8a5a00}
.pill.fail{background:#fde4e4;color:#a11d1d}.pill.na{background:#eef1f4;color:#616e7c}
ol.fixes{margin:0;padding-left:22px}
ol.fixes li{margin:6px 0}
ol.fixes .why{color:var(--muted);font-size:13px}
.area-head{display:flex;align-items:center;gap:12px;margin-bottom:10px}
.area-head h2{margin:0}
.area-head .score{color:var(--muted);font-size:14px}
.check{border-top:1px solid var(--line);padding:10px 0}
.check:first-of-type{border-top:0}
.check summary{cursor:pointer;list-style:none;display:grid;grid-template-columns:78px 1fr auto;gap:10px;
align-items:baseline}
.check summary::-webkit-details-marker{display:none}
.check .title{font-weight:600}
.check .measured{color:var(--muted);font-size:13px;display:block;font-weight:400}
.check .weight{color:var(--muted);font-size:12px}
.check .body{margin:8px 0 0 88px}
.fix{background:#eef5fb;border-left:3px solid var(--accent);padding:6px 10px;border-radius:4px;font-size:13.5px}
ul.evidence{margin:8px 0 0;padding-left:18px;font-size:13px}
ul.evidence li{margin:2px 0}
a.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;color:var(--accent)}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;background:#eef1f4;
padding:0 4px;border-radius:3px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:20px}
.graph-wrap{overflow:auto;text-align:center;max-height:720px;border:1px solid var(--line);border-radius:8px;background:#fcfdfe}
.legend{font-size:12.5px;color:var(--muted);margin-top:8px}
.legend i{display:inline-block;width:22px;height:3px;vertical-align:middle;margin:0 4px 0 12px}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:40px}
@media (max-width:900px){.scorecard,.charts{grid-template-columns:1fr}.tiles{grid-template-columns:1fr 1fr}}
@media print{header.top nav{display:none}details{display:block}}
"""


@dataclass
class GraphView:
    nodes: list[svg.GNode]
    edges: list[svg.GEdge]
    summary: str


def _grade_key(grade: str) -> str:
    return "na" if grade == "n/a" else grade


def _href(filename: str, row: int | None, root: Path, base: Path) -> str:
    target = os.path.relpath(root / filename, base)
    target = Path(target).as_posix()
    return escape(target + (f"#L{row}" if row else ""), quote=True)


def _evidence(ev: Evidence, root: Path, base: Path) -> str:
    message = escape(ev.message)
    if not ev.filename:
        return f"<li>{message}</li>"
    row = ev.location.row if ev.location else None
    shown = escape(ev.filename + (f":{row}" if row else ""))
    link = (
        f'<a class="loc" href="{_href(ev.filename, row, root, base)}" data-file="{escape(ev.filename, quote=True)}"'
        + (f' data-line="{row}"' if row else "")
        + f">{shown}</a>"
    )
    return f"<li>{link} {message}</li>"


def _check(check: CheckResult, root: Path, base: Path, changed: tuple[Status | None, Status] | None) -> str:
    status = check.status
    change = ""
    if changed is not None:
        was = changed[0].value if changed[0] is not None else "new"
        change = f' <span class="muted">(was {escape(was)})</span>'
    evidence = "".join(_evidence(ev, root, base) for ev in check.evidence)
    fix = (
        f'<div class="fix"><b>Fix:</b> {escape(check.fix)}</div>'
        if status in (Status.FAIL, Status.PARTIAL)
        else ""
    )
    rules = (
        f'<div class="muted" style="font-size:12px;margin-top:6px">reads {", ".join(check.rules)}</div>'
        if check.rules
        else ""
    )
    opened = " open" if status in (Status.FAIL, Status.PARTIAL) and check.evidence else ""
    return (
        f'<details class="check" id="check-{escape(check.id)}"{opened}><summary>'
        f'<span class="pill {STATUS_CLASS[status]}">{STATUS_LABEL[status]}</span>'
        f'<span class="title">{escape(check.title)}{change}'
        f'<span class="measured">{escape(check.summary)}</span></span>'
        f'<span class="weight">weight {check.weight:g}</span></summary>'
        f'<div class="body">{fix}'
        + (f'<ul class="evidence">{evidence}</ul>' if evidence else "")
        + f"{rules}</div></details>"
    )


def _tile(area: AreaResult, delta: float | None) -> str:
    g = _grade_key(area.grade)
    shown = "n/a" if area.score is None else f"{area.score:.0f}"
    width = area.score or 0
    failing = sum(c.status in (Status.FAIL, Status.PARTIAL) for c in area.checks)
    change = ""
    if delta is not None:
        cls = "c-A" if delta > 0 else "c-F" if delta < 0 else "muted"
        change = f' <span class="{cls}">{delta:+g}</span>'
    return (
        f'<a class="tile" href="#area-{area.id}" id="tile-{area.id}"><div class="name">{escape(area.title)}</div>'
        f'<div class="row"><span class="score c-{g}">{shown}{change}</span>'
        f'<span class="grade g-{g}">{escape(area.grade)}</span></div>'
        f'<div class="bar"><span class="b-{g}" style="width:{width:.0f}%"></span></div>'
        f'<div class="sub">{failing} check(s) to improve</div></a>'
    )


def _delta_html(comparison: Comparison | None) -> str:
    if comparison is None:
        return ""
    d = comparison.score
    cls = "c-A" if d > 0 else "c-F" if d < 0 else "muted"
    return (
        f'<div class="delta"><span class="{cls}">{d:+g}</span> since the previous audit '
        f"({comparison.previous.score:.1f}, {escape(comparison.previous.grade)})</div>"
    )


def _scorecard(report: AuditReport, comparison: Comparison | None) -> str:
    g = _grade_key(report.grade)
    tiles = "".join(_tile(a, comparison.area_delta(a.id) if comparison else None) for a in report.areas)
    return (
        f'<section id="scorecard" class="scorecard" style="margin-top:0"><div class="card overall">'
        f"{svg.gauge(report.score, report.grade)}"
        f'<div class="label">overall score <b class="c-{g}">{report.score:.1f}</b> · grade '
        f'<span class="grade g-{g}" id="overall-grade">{escape(report.grade)}</span></div>'
        f'{_delta_html(comparison)}</div><div class="tiles">{tiles}</div></section>'
    )


def _fix_first(report: AuditReport) -> str:
    fixes = "".join(
        f'<li><a href="#check-{escape(c.id)}"><b>{escape(c.title)}</b></a> '
        f'<span class="pill {STATUS_CLASS[c.status]}">{STATUS_LABEL[c.status]}</span> '
        f'<span class="why">{escape(area)} · {escape(c.summary)}</span><br>{escape(c.fix)}</li>'
        for area, c in to_fix(report)[:8]
    )
    body = f'<ol class="fixes">{fixes}</ol>' if fixes else "<p>Nothing: every check passes.</p>"
    return f'<section id="fix-first" class="card"><h2>What to fix first</h2>{body}</section>'


def _area(area: AreaResult, root: Path, base: Path, comparison: Comparison | None) -> str:
    ag = _grade_key(area.grade)
    changed = comparison.checks if comparison else {}
    checks = "".join(_check(c, root, base, changed.get(c.id)) for c in area.checks)
    score = "n/a" if area.score is None else f"{area.score:.0f} / 100"
    return (
        f'<section class="card area" id="area-{area.id}"><div class="area-head"><span class="grade g-{ag}">'
        f'{escape(area.grade)}</span><h2>{escape(area.title)}</h2><span class="score">{score}</span></div>'
        f"{checks}</section>"
    )


def _charts(report: AuditReport, comparison: Comparison | None) -> str:
    m = report.metrics
    findings_chart = svg.hbars(
        [(a.title, float(m.findings_by_area.get(a.id, 0))) for a in report.areas],
        title="Findings of mlaudit check per area",
        colour="#c2571a",
    )
    complexity_chart = svg.histogram(m.complexity, title="Complexity distribution")
    charts = [
        f'<div class="card"><h3>Findings per area</h3>{findings_chart}'
        f'<p class="muted" style="font-size:12.5px">{m.findings} findings of <span class="code">mlaudit check</span> '
        f"in {m.files} files ({m.code_lines} code lines, {m.notebooks} notebooks).</p></div>",
        '<div class="card"><h3>Complexity distribution</h3>'
        + (complexity_chart or '<p class="muted">No production functions measured.</p>')
        + "</div>",
    ]
    if comparison is not None:
        charts.append(_trend(report, comparison))
    return f'<section id="charts"><h2>Charts</h2><div class="charts">{"".join(charts)}</div></section>'


def _trend(report: AuditReport, comparison: Comparison) -> str:
    before = {a.id: a.score for a in comparison.previous.areas}
    rows: list[tuple[str, float | None, float | None]] = [
        ("Overall", comparison.previous.score, report.score)
    ]
    rows += [(a.title, before.get(a.id), a.score) for a in report.areas]
    return (
        '<div class="card" style="grid-column:1/-1"><h3>Trend against the previous audit</h3>'
        f"{svg.trend(rows, title='Score per area, previous and now')}</div>"
    )


def _graph(graph: GraphView | None) -> str:
    if graph is None or not graph.nodes:
        return ""
    return (
        f'<section id="graph" class="card"><h2>Import graph</h2><p class="muted">{escape(graph.summary)}. '
        "Importers sit above what they import; hover an arrow for the import.</p>"
        f'<div class="graph-wrap">{svg.import_graph(graph.nodes, graph.edges)}</div>'
        f'<div class="legend"><i style="background:{svg.PLAIN}"></i>import'
        f'<i style="background:{svg.CYCLE}"></i>import cycle'
        f'<i style="background:{svg.LAYER}"></i>layer violation'
        '<i style="background:none;border-top:2px dashed #9aa5b1;height:0"></i>inside a function</div></section>'
    )


def _warnings(report: AuditReport) -> str:
    items = "".join(f"<li>{escape(w)}</li>" for w in report.warnings[:20])
    return f'<section class="card"><h2>Warnings</h2><ul>{items}</ul></section>' if items else ""


def render(
    report: AuditReport,
    *,
    root: Path,
    base: Path,
    graph: GraphView | None = None,
    comparison: Comparison | None = None,
) -> str:
    title = f"mlaudit audit: {report.grade} ({report.score:.0f}/100) - {Path(report.root).name}"
    areas = "".join(_area(a, root, base, comparison) for a in report.areas)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="generator" content="mlaudit {escape(report.tool.version)}">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="top"><h1>mlaudit audit</h1><span class="root">{escape(report.root)}</span>'
        '<nav><a href="#fix-first">fix first</a><a href="#graph">import graph</a><a href="#charts">charts</a></nav>'
        f"</header><main>{_scorecard(report, comparison)}{_fix_first(report)}{areas}{_graph(graph)}"
        f"{_charts(report, comparison)}{_warnings(report)}"
        f"<footer>mlaudit {escape(report.tool.version)} · schema {report.schema_version} · "
        f"{report.duration_s:.1f} s · areas score the weighted share of passed checks (partial = half); "
        "the overall score is their mean; A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40.</footer>"
        "</main></body></html>\n"
    )


def graph_view(index: object, *, max_nodes: int = 60) -> GraphView | None:
    """The import graph of the audited project (collapsed into packages above ``max_nodes`` modules)."""
    from mlaudit.graph import GraphError, build_picture
    from mlaudit.project.index import ProjectIndex

    assert isinstance(index, ProjectIndex)
    try:
        picture = build_picture(index, max_nodes=max_nodes)
    except GraphError:
        return None
    by_id = {n.id: n for n in picture.nodes}
    by_name = {n.name: n.id for n in picture.nodes}
    nodes = [
        svg.GNode(n.id, n.name + (f" ({n.members})" if n.members > 1 else ""), n.in_cycle)
        for n in picture.nodes
    ]
    edges = [
        svg.GEdge(by_name[e.source], by_name[e.target], e.cycle, e.violation, e.lazy)
        for e in picture.edges
        if e.source in by_name and e.target in by_name
    ]
    del by_id
    return GraphView(nodes, edges, picture.summary())
