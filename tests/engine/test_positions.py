"""engine.positions: the lean codegen gives libcst's syntactic positions, and the statement-wise mode
(positions generated one module-level statement at a time from CPython's first lines) gives exactly
the whole-module positions, or falls back to them."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from mlaudit.engine.parsing import cpython_check
from mlaudit.engine.positions import Positions

REPO = Path(__file__).resolve().parents[2]

TRICKY = {
    "decorated": (
        "# header comment\n\nimport os\n\n\n# about f\n@dec  # trailing\n\n# between\n@other(\n    1,\n)\n"
        "def f(a,\n      b):\n    return a\n\n\n@dataclass\nclass C:\n    x: int = 1\n"
    ),
    "semicolons": "a = 1; b = 2\nc = (3,\n 4); d = 5\nif a: b = 1; c = 2\n",
    "continuations": 'x = 1 + \\\n    2\ns = """one\ntwo\nthree"""\ny = f"{x!r:>{10}} {s}"\n',
    "crlf": "import os\r\n\r\n# c\r\ndef f():\r\n    return os.sep\r\n",
    "compound": (
        "try:\n    import torch\nexcept ImportError:\n    torch = None\nelse:\n    pass\nfinally:\n    pass\n"
        "for i in range(3):\n    pass\nelse:\n    pass\nwhile False:\n    break\nwith open('f') as fh, open('g'):\n"
        "    pass\nasync def g():\n    async with a as b:\n        await b\n"
        "match x:\n    case [1, *rest]:\n        pass\n    case {'k': v}:\n        pass\n"
    ),
    "no trailing newline": "import os\nx = os.sep",
    "form feed": "import os\n\x0c\ndef f():\n    pass\n",
    "lambda and comprehension": "f = lambda x: [y for y in x if y]\ng = {k: v for k, v in {}.items()}\n",
}


def _statement_nodes(module: cst.Module) -> list[cst.CSTNode]:
    nodes: list[cst.CSTNode] = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            nodes.append(node)
            return True

    for statement in module.body:
        statement.visit(Collect())
    return nodes


def _sources() -> list[tuple[str, str]]:
    own = sorted((REPO / "mlaudit" / "engine").glob("*.py")) + sorted((REPO / "examples").rglob("*.py"))
    return [*TRICKY.items(), *((str(p.relative_to(REPO)), p.read_text()) for p in own)]


@pytest.mark.parametrize(("name", "text"), TRICKY.items(), ids=list(TRICKY))
def test_whole_module_positions_are_libcsts_syntactic_positions(name: str, text: str) -> None:
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    ours = Positions(module)
    for node in _statement_nodes(module):
        if node not in expected:  # whitespace that codegen does not write
            continue
        want = expected[node]
        got = ours[node]
        assert (got.line, got.col - 1, got.end_line, got.end_col - 1) == (
            want.start.line,
            want.start.column,
            want.end.line,
            want.end.column,
        ), (name, type(node).__name__)


def test_statement_wise_positions_equal_the_whole_modules() -> None:
    checked = 0
    for name, text in _sources():
        error, first_lines = cpython_check(text)
        assert error is None and first_lines is not None, name
        module = cst.parse_module(text)
        whole = Positions(module)
        lazy = Positions(module, first_lines, text)
        nodes = [n for n in _statement_nodes(module) if n in whole._computed]  # codegen skips a few
        for node in reversed(nodes):  # the last statements first: the search wraps around
            assert lazy[node] == whole[node], (name, type(node).__name__)
        assert lazy._starts is not None or not module.body, f"{name}: fell back to the whole module"
        checked += len(nodes)
    assert checked > 10_000


def test_a_hint_is_only_where_the_search_starts() -> None:
    text = TRICKY["decorated"]
    module = cst.parse_module(text)
    lazy = Positions(module, cpython_check(text)[1], text)
    lazy.statement = 2  # the class: generated first, then the search wraps around to the function
    node = module.body[1]
    assert lazy[node] == Positions(module)[node]
    assert lazy._done == {0, 1, 2}
    lazy = Positions(module, cpython_check(text)[1], text)
    lazy.statement = 1
    assert lazy[node] == Positions(module)[node]
    assert lazy._done == {1}


def test_wrong_first_lines_fall_back_to_the_whole_module() -> None:
    text = TRICKY["decorated"]
    module = cst.parse_module(text)
    first_lines = cpython_check(text)[1]
    assert first_lines is not None
    wrong = Positions(module, tuple(line + 1 for line in first_lines), text)
    node = module.body[2]
    assert wrong[node] == Positions(module)[node]
    assert wrong._starts is None


def test_statements_that_do_not_pair_up_fall_back() -> None:
    module = cst.parse_module("a = 1; b = 2\n")
    # CPython sees two statements: one first line does not pair up
    positions = Positions(module, (1,), "a = 1; b = 2\n")
    assert positions._starts is None
    assert positions[module.body[0]] == Positions(module)[module.body[0]]


def test_the_module_itself_is_found_by_the_whole_codegen() -> None:
    text = "import os\n\n# footer\n"
    module = cst.parse_module(text)
    lazy = Positions(module, cpython_check(text)[1], text)
    assert lazy[module] == Positions(module)[module]
