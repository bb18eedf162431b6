"""`mlaudit graph`: Mermaid and DOT text of a small project with a cycle and a layer violation, package
grouping and collapsing, SVG through Graphviz (a stand-in `dot` when Graphviz is not installed), and the
exit codes."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest

from mlaudit import api, graph
from tests.conftest import run_cli, write_files

SHOP = {
    "pyproject.toml": "[tool.mlaudit]\n",
    "shop/__init__.py": "",
    "shop/config.py": "from shop.features import COLUMNS\n",
    "shop/features.py": "from shop.config import LIMIT\n\nCOLUMNS = []\n",
    "shop/serve.py": "from shop.features import COLUMNS\n",
    "shop/sub/__init__.py": "def lazy():\n    from shop.serve import app\n",
    "shop/sub/data.py": "from shop import config\nimport numpy\n",
    "shop/report.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from shop.serve import app\n",
    "tests/test_serve.py": "from shop.serve import app\n",
    "notebooks/eda.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_files(tmp_path, dict(SHOP))


def picture(root: Path, **options: object) -> graph.Picture:
    found = api.project_facts([root], api.CheckOptions(no_cache=True, jobs=1))
    return graph.build_picture(found.index, **options)  # type: ignore[arg-type]


def test_picture_of_a_small_project(shop: Path) -> None:
    pic = picture(shop)
    names = [n.name for n in pic.nodes]
    assert names == [
        "shop",
        "shop.config",
        "shop.features",
        "shop.report",
        "shop.serve",
        "shop.sub",
        "shop.sub.data",
    ]
    edges = {(e.source, e.target): e for e in pic.edges}
    assert set(edges) == {
        ("shop.config", "shop.features"),
        ("shop.features", "shop.config"),
        ("shop.serve", "shop.features"),
        ("shop.sub", "shop.serve"),
        ("shop.sub.data", "shop.config"),
    }  # no TYPE_CHECKING edge, no third-party node, no test, no notebook
    assert edges[("shop.config", "shop.features")].cycle and edges[("shop.config", "shop.features")].violation
    assert edges[("shop.features", "shop.config")].cycle
    assert not edges[("shop.features", "shop.config")].violation
    assert edges[("shop.sub", "shop.serve")].lazy
    assert pic.cycles == ["shop.config -> shop.features -> shop.config"]
    assert pic.violations == 1
    assert [n.name for n in pic.nodes if n.in_cycle] == ["shop.config", "shop.features"]
    assert [n.name for n in picture(shop, include_tests=True).nodes][-1] == "tests.test_serve"


def test_mermaid_text(shop: Path) -> None:
    text = graph.to_mermaid(picture(shop))
    assert text.startswith("flowchart LR\n")
    assert "%% cycle: shop.config -> shop.features -> shop.config" in text
    assert 'subgraph c0["shop"]' in text and 'subgraph c1["shop.sub"]' in text
    assert text.count("subgraph") == text.count("\n    end") + text.count("\n        end")
    ids = dict(re.findall(r'(n\d+)\["([^"]+)"\]', text))
    by_label = {label: node for node, label in ids.items()}
    config, features = by_label["config"], by_label["features"]
    assert f"{config} ==>|layer| {features}" in text  # cycle and layer violation
    assert f"{features} ==> {config}" in text
    assert f"{by_label['data']} --> {config}" in text
    lazy = [line for line in text.splitlines() if "-.->" in line]
    assert len(lazy) == 1  # the function-level import
    assert text.count("linkStyle") == 2 and "stroke:#d62728" in text
    assert f"class {config},{features} cycle" in text


def test_dot_text(shop: Path) -> None:
    text = graph.to_dot(picture(shop))
    assert text.startswith("digraph imports {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    assert 'subgraph cluster_0 {\n        label="shop"' in text
    assert re.search(r'n\d+ -> n\d+ \[color="#d62728", penwidth=2.5, label="layer"\];', text)
    assert re.search(r"n\d+ -> n\d+ \[style=dashed\];", text)
    assert 'tooltip="shop.config", fillcolor="#fde2e2"' in text


def test_output_is_deterministic(shop: Path) -> None:
    assert graph.to_mermaid(picture(shop)) == graph.to_mermaid(picture(shop))


def test_large_projects_are_collapsed_into_packages(tmp_path: Path) -> None:
    files = {"pyproject.toml": "[tool.mlaudit]\n", "big/__init__.py": ""}
    for p in range(6):
        files[f"big/p{p}/__init__.py"] = ""
        for m in range(10):
            target = f"big.p{(p + 1) % 6}.m{m}" if m == 0 else f"big.p{p}.m{m - 1}"
            files[f"big/p{p}/m{m}.py"] = f"import {target}\n"
    # p0.m0 -> p1.m0 -> ... -> p5.m0 -> p0.m0 is one module cycle; p0.m5 <-> p3.m2 another
    files["big/p0/m5.py"] = "import big.p0.m4\nimport big.p3.m2\n"
    files["big/p3/m2.py"] = "import big.p3.m1\nimport big.p0.m5\n"
    files["big/p1/m9.py"] = "import big.p1.m8\nimport big.p4.m9\n"  # crosses packages, on no cycle
    write_files(tmp_path, files)
    full = picture(tmp_path)
    assert full.depth is None and full.modules == 67
    small = picture(tmp_path, max_nodes=10)
    assert small.depth == 2
    assert [n.name for n in small.nodes] == ["big", *[f"big.p{p}" for p in range(6)]]
    assert small.nodes[1].members == 11  # the package and its ten modules
    edges = {(e.source, e.target): e for e in small.edges}
    assert edges[("big.p0", "big.p3")].cycle and edges[("big.p3", "big.p0")].cycle
    assert edges[("big.p1", "big.p2")].cycle
    assert not edges[("big.p1", "big.p4")].cycle  # a package edge is red only for module-level cycles
    assert len(small.cycles) == 2
    mermaid = graph.to_mermaid(small)
    assert '["p0 (11 modules)"]' in mermaid
    assert picture(tmp_path, depth=1).nodes[0].members == 67


def test_cli_writes_mermaid_and_exits_1_on_cycles(shop: Path) -> None:
    result = run_cli("graph", ".", cwd=shop)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("flowchart LR")
    assert "1 import cycle group, 1 layer violation" in result.stderr
    zero = run_cli("graph", "--format", "dot", "-o", "g.dot", "--exit-zero", cwd=shop)
    assert zero.returncode == 0, zero.stderr
    assert zero.stdout == ""
    assert (shop / "g.dot").read_text(encoding="utf-8").startswith("digraph imports {")


def test_cli_exits_0_on_a_clean_graph(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool.mlaudit]\n", "a.py": "import b\n", "b.py": ""})
    result = run_cli("graph", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 modules, 1 edges, 0 import cycle groups, 0 layer violations" in result.stderr


def test_cli_rejects_an_unknown_format(shop: Path) -> None:
    result = run_cli("graph", "--format", "png", cwd=shop)
    assert result.returncode == 2
    assert "unknown format `png`; choose one of mermaid, dot, svg" in result.stderr


def _fake_dot(directory: Path) -> None:
    """A stand-in for Graphviz's `dot` that answers with a minimal SVG holding the DOT it was given."""
    script = directory / "dot"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsrc = sys.stdin.read()\n"
        "print('<svg xmlns=\"http://www.w3.org/2000/svg\"><!--' + src.replace('--', '- -') + '--></svg>')\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_svg_needs_graphviz(shop: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-dot"
    empty.mkdir()
    result = run_cli("graph", "--format", "svg", cwd=shop, env={"PATH": str(empty)})
    assert result.returncode == 2
    assert "SVG output needs Graphviz's `dot` program on PATH" in result.stderr
    assert result.stdout == ""


def test_svg_through_graphviz(shop: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_dot(bin_dir)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = run_cli("graph", "--format", "svg", "-o", "g.svg", cwd=shop, env=env)
    assert result.returncode == 1, result.stderr
    svg = (shop / "g.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "digraph imports" in svg


def test_svg_without_pydeps(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pydeps.dot", None)
    with pytest.raises(graph.GraphError, match=r"needs pydeps"):
        graph.to_svg(picture(shop))


def test_invalid_contract_is_a_usage_error(shop: Path) -> None:
    (shop / "pyproject.toml").write_text('[tool.mlaudit]\nlayers = ["a | b : c"]\n', encoding="utf-8")
    result = run_cli("graph", cwd=shop)
    assert result.returncode == 2
    assert "invalid layer contract" in result.stderr
