"""Inline SVG, drawn here without Graphviz or JavaScript: the import graph in layers (a small Sugiyama
layout: cycles broken by DFS, longest-path layering, barycentre ordering) and the report's charts.

Every function returns an ``<svg>`` string; all text is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from mlaudit.audit.model import grade_of

CYCLE = "#d62728"
LAYER = "#e67e22"
PLAIN = "#9aa5b1"
INK = "#1f2933"
MUTED = "#616e7c"
GRADE_COLOURS = {
    "A": "#1e8e3e",
    "B": "#7cb342",
    "C": "#f9a825",
    "D": "#ef6c00",
    "F": "#c62828",
    "n/a": "#9aa5b1",
}
CHAR_W = 6.6
NODE_H = 26
LAYER_GAP = 70
NODE_GAP = 18


@dataclass
class GNode:
    id: str
    label: str
    in_cycle: bool = False


@dataclass
class GEdge:
    source: str
    target: str
    cycle: bool = False
    violation: bool = False
    lazy: bool = False


def _back_edges_from(root: str, succ: dict[str, list[str]], state: dict[str, int]) -> set[tuple[str, str]]:
    """Back edges met by an iterative depth-first search from ``root`` (state 1: on the stack, 2: done)."""
    back: set[tuple[str, str]] = set()
    stack = [(root, iter(succ[root]))]
    state[root] = 1
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            state[node] = 2
            stack.pop()
        elif state.get(child) == 1:
            back.add((node, child))
        elif child not in state:
            state[child] = 1
            stack.append((child, iter(succ[child])))
    return back


def _acyclic(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edges with back edges left out, so layering terminates."""
    succ: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        succ[s].append(t)
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in nodes:
        if root not in state:
            back |= _back_edges_from(root, succ, state)
    return [e for e in edges if e not in back and e[0] != e[1]]


def layers(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Importers above what they import: a node's layer is the longest import chain leading to it."""
    dag = _acyclic(nodes, edges)
    preds: dict[str, list[str]] = defaultdict(list)
    succ: dict[str, list[str]] = defaultdict(list)
    indegree = dict.fromkeys(nodes, 0)
    for s, t in dag:
        preds[t].append(s)
        succ[s].append(t)
        indegree[t] += 1
    level = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if indegree[n] == 0]
    while ready:
        node = ready.pop()
        for child in succ[node]:
            level[child] = max(level[child], level[node] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    rows: list[list[str]] = [[] for _ in range(max(level.values(), default=0) + 1)]
    for n in nodes:
        rows[level[n]].append(n)
    return _order(rows, preds, succ)


def _order(rows: list[list[str]], preds: dict[str, list[str]], succ: dict[str, list[str]]) -> list[list[str]]:
    """Barycentre heuristic, four down-and-up sweeps: fewer crossings, stable for equal inputs."""
    rows = [sorted(r) for r in rows]
    for _ in range(4):
        for i in range(1, len(rows)):
            rows[i] = _by_barycentre(rows[i], rows[i - 1], preds)
        for i in range(len(rows) - 2, -1, -1):
            rows[i] = _by_barycentre(rows[i], rows[i + 1], succ)
    return rows


def _by_barycentre(row: list[str], fixed: list[str], neighbours: dict[str, list[str]]) -> list[str]:
    position = {n: i for i, n in enumerate(fixed)}

    def key(item: tuple[int, str]) -> tuple[float, int]:
        index, node = item
        around = [position[m] for m in neighbours[node] if m in position]
        return (sum(around) / len(around) if around else index, index)

    return [n for _, n in sorted(enumerate(row), key=key)]


def _place(
    rows: list[list[str]], widths: dict[str, float]
) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Top-left corner of every node (each layer centred), and the drawing's width and height."""
    row_widths = [sum(widths[n] for n in row) + NODE_GAP * (len(row) - 1) for row in rows]
    width = max(row_widths) + 40
    height = len(rows) * (NODE_H + LAYER_GAP) - LAYER_GAP + 40
    pos: dict[str, tuple[float, float]] = {}
    for r, row in enumerate(rows):
        x: float = (width - row_widths[r]) / 2
        for node_id in row:
            pos[node_id] = (x, 20.0 + r * (NODE_H + LAYER_GAP))
            x += widths[node_id] + NODE_GAP
    return pos, width, height


def _node(n: GNode, x: float, y: float, width: float) -> str:
    stroke, fill, line = (CYCLE, "#fdecea", 2) if n.in_cycle else ("#52606d", "#ffffff", 1)
    return (
        f'<g class="node{" cycle" if n.in_cycle else ""}"><title>{escape(n.label)}</title>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{NODE_H}" rx="6" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{line}"/>'
        f'<text x="{x + width / 2:.1f}" y="{y + NODE_H / 2 + 4:.1f}" text-anchor="middle" font-size="12" '
        f'fill="{INK}">{escape(n.label)}</text></g>'
    )


_MARKERS = "".join(
    f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
    f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
    for name, colour in (("plain", PLAIN), ("cycle", CYCLE), ("layer", LAYER))
)


def _drawn(edges: Sequence[GEdge], pos: dict[str, tuple[float, float]]) -> list[GEdge]:
    """Edges between placed nodes, problems last so that they are drawn on top."""
    drawn = [e for e in edges if e.source in pos and e.target in pos]
    return sorted(drawn, key=lambda e: (e.cycle or e.violation, e.source, e.target))


def import_graph(nodes: Sequence[GNode], edges: Sequence[GEdge], *, title: str = "Import graph") -> str:
    if not nodes:
        return ""
    by_id = {n.id: n for n in nodes}
    rows = layers([n.id for n in nodes], [(e.source, e.target) for e in edges])
    widths = {n.id: max(48.0, len(n.label) * CHAR_W + 20) for n in nodes}
    pos, width, height = _place(rows, widths)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}" class="graph">'
        f"<title>{escape(title)}</title><defs>{_MARKERS}</defs>"
        + "".join(_edge(e, pos, widths, by_id) for e in _drawn(edges, pos))
        + "".join(_node(n, *pos[n.id], widths[n.id]) for n in nodes)
        + "</svg>"
    )


def _ends(sy: float, ty: float) -> tuple[float, float, float, float]:
    """(y1, y2, control 1, control 2) of a curve between two rows."""
    if ty > sy:  # downwards: bottom of the importer to the top of the imported
        y1, y2 = sy + NODE_H, ty
    elif ty < sy:  # upwards (a cycle or a layer violation)
        y1, y2 = sy, ty + NODE_H
    else:  # same row: a loop below
        y1 = y2 = sy + NODE_H
        return y1, y2, y1 + 30.0, y2 + 30.0
    bend = max(abs(y2 - y1) / 2, 30.0)
    sign = 1 if y2 > y1 else -1
    return y1, y2, y1 + sign * bend, y2 - sign * bend


_EDGE_STYLE = {"cycle": (CYCLE, 2.0, " (import cycle)"), "layer": (LAYER, 2.0, " (layer violation)"),
               "plain": (PLAIN, 1.1, "")}  # fmt: skip


def _edge(
    e: GEdge, pos: dict[str, tuple[float, float]], widths: dict[str, float], by_id: dict[str, GNode]
) -> str:
    (sx, sy), (tx, ty) = pos[e.source], pos[e.target]
    x1, x2 = sx + widths[e.source] / 2, tx + widths[e.target] / 2
    y1, y2, c1, c2 = _ends(sy, ty)
    kind = "cycle" if e.cycle else "layer" if e.violation else "plain"
    colour, width, note = _EDGE_STYLE[kind]
    dash = ' stroke-dasharray="4 3"' if e.lazy else ""
    label = f"{by_id[e.source].label} imports {by_id[e.target].label}{note}"
    return (
        f'<path class="edge {kind}" d="M{x1:.1f},{y1:.1f} C{x1:.1f},{c1:.1f} {x2:.1f},{c2:.1f} {x2:.1f},{y2:.1f}" '
        f'fill="none" stroke="{colour}" stroke-width="{width}"{dash} marker-end="url(#arrow-{kind})">'
        f"<title>{escape(label)}</title></path>"
    )


def gauge(score: float, grade: str, size: int = 150) -> str:
    """The overall score as a ring."""
    r = size / 2 - 10
    circumference = 2 * 3.14159265 * r
    filled = circumference * max(0.0, min(score, 100.0)) / 100
    colour = GRADE_COLOURS.get(grade, PLAIN)
    c = size / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-label="score {score:.0f} of 100, grade {escape(grade)}" class="gauge">'
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="#e4e7eb" stroke-width="12"/>'
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="{colour}" stroke-width="12" '
        f'stroke-linecap="round" stroke-dasharray="{filled:.1f} {circumference:.1f}" '
        f'transform="rotate(-90 {c} {c})"/>'
        f'<text x="{c}" y="{c + 6}" text-anchor="middle" font-size="40" font-weight="700" fill="{colour}">'
        f"{escape(grade)}</text>"
        f'<text x="{c}" y="{c + 28}" text-anchor="middle" font-size="13" fill="{MUTED}">{score:.0f} / 100</text>'
        "</svg>"
    )


def hbars(items: Sequence[tuple[str, float]], *, title: str, colour: str = "#3e7cb1", unit: str = "") -> str:
    """A horizontal bar chart with value labels."""
    if not items:
        return ""
    label_w = max(len(label) for label, _ in items) * CHAR_W + 16
    bar_w = 260
    row = 24
    width = label_w + bar_w + 60
    height = row * len(items) + 10
    top = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        w = bar_w * value / top
        parts.append(
            f'<text x="{label_w - 8:.0f}" y="{y + 15}" text-anchor="end" font-size="12" fill="{INK}">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w:.0f}" y="{y + 3}" width="{w:.1f}" height="16" rx="3" fill="{colour}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="12" fill="{MUTED}">{value:g}{unit}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


COMPLEXITY_BINS: tuple[tuple[str, int, int], ...] = (
    ("1-5", 1, 5),
    ("6-10", 6, 10),
    ("11-15", 11, 15),
    ("16-20", 16, 20),
    ("21-30", 21, 30),
    ("31+", 31, 10**9),
)


def histogram(values: Sequence[int], *, title: str, warn_above: int = 10) -> str:
    """Column chart of cyclomatic complexity in bins; bins above ``warn_above`` in orange/red."""
    if not values:
        return ""
    counts = [sum(lo <= v <= hi for v in values) for _, lo, hi in COMPLEXITY_BINS]
    most = max(counts) or 1
    col, gap, chart_h, top = 46, 14, 150, 20
    base = top + chart_h
    width = len(counts) * (col + gap) + 40
    height = base + 46
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>',
        f'<line x1="20" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#cbd2d9"/>',
    ]
    for i, ((label, lo, _), count) in enumerate(zip(COMPLEXITY_BINS, counts, strict=True)):
        x = 25 + i * (col + gap)
        h = chart_h * count / most
        colour = "#3e7cb1" if lo <= warn_above else ("#e67e22" if lo <= 20 else CYCLE)
        parts.append(
            f'<rect x="{x}" y="{base - h:.1f}" width="{col}" height="{h:.1f}" rx="3" fill="{colour}">'
            f"<title>{count} function(s) of complexity {label}</title></rect>"
            f'<text x="{x + col / 2}" y="{base - h - 5:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{count}</text>'
            f'<text x="{x + col / 2}" y="{base + 18}" text-anchor="middle" font-size="11" fill="{INK}">'
            f"{label}</text>"
        )
    parts.append(
        f'<text x="{width / 2}" y="{base + 38}" text-anchor="middle" font-size="11" fill="{MUTED}">'
        "cyclomatic complexity per function</text></svg>"
    )
    return "".join(parts)


def _trend_row(label: str, before: float | None, after: float | None, y: float, label_w: float) -> str:
    bar_w = 260
    parts = [
        f'<text x="{label_w - 8:.0f}" y="{y + 17}" text-anchor="end" font-size="12" fill="{INK}">{escape(label)}</text>'
    ]
    if before is not None:
        parts.append(
            f'<rect x="{label_w:.0f}" y="{y + 2}" width="{bar_w * before / 100:.1f}" height="11" rx="2" '
            f'fill="#cbd2d9"><title>previous {before:g}</title></rect>'
        )
    if after is not None:
        parts.append(
            f'<rect x="{label_w:.0f}" y="{y + 15}" width="{bar_w * after / 100:.1f}" height="11" rx="2" '
            f'fill="{GRADE_COLOURS[grade_of(after)]}"><title>now {after:g}</title></rect>'
        )
    if before is not None and after is not None:
        delta = after - before
        colour = "#1e8e3e" if delta > 0 else CYCLE if delta < 0 else MUTED
        parts.append(
            f'<text x="{label_w + bar_w + 8:.0f}" y="{y + 20}" font-size="12" font-weight="600" '
            f'fill="{colour}">{f"{delta:+.0f}" if delta else "±0"}</text>'
        )
    return "".join(parts)


def trend(rows: Sequence[tuple[str, float | None, float | None]], *, title: str) -> str:
    """Previous against current score per area (and overall): paired bars on a 0-100 scale."""
    if not rows:
        return ""
    label_w = max(len(label) for label, _, _ in rows) * CHAR_W + 16
    width = label_w + 260 + 90
    height = 34 * len(rows) + 30
    legend_y = height - 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
        + "".join(_trend_row(label, b, a, 6 + i * 34, label_w) for i, (label, b, a) in enumerate(rows))
        + f'<rect x="{label_w:.0f}" y="{legend_y - 9}" width="10" height="10" fill="#cbd2d9"/>'
        f'<text x="{label_w + 14:.0f}" y="{legend_y}" font-size="11" fill="{MUTED}">previous</text>'
        f'<rect x="{label_w + 80:.0f}" y="{legend_y - 9}" width="10" height="10" fill="#1e8e3e"/>'
        f'<text x="{label_w + 94:.0f}" y="{legend_y}" font-size="11" fill="{MUTED}">now</text></svg>'
    )
