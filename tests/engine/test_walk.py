"""engine.walk: the same events, in the same order, as libcst's own traversal, and no copy of the tree."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from mlaudit.engine.walk import child_fields, walk

REPO = Path(__file__).resolve().parents[2]

SNIPPETS = [
    'x = f"{a!r:>{width}} {b=} {c:{d}.{e}f}"\n',
    "from . import (a, b as c)\nfrom .. import *\nfrom x.y import z\nimport a.b as c, d\n",
    "@dec\n@other(1)\nasync def f(a, /, b=1, *args, c: int = 2, **kw) -> None:\n    '''doc'''\n    return\n",
    "class C(Base, metaclass=M):\n    x: int = 1\n    def m(self): pass\n",
    "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n",
    "try:\n    pass\nexcept (A, B) as e:\n    raise X from e\nelse:\n    pass\nfinally:\n    pass\n",
    "try:\n    pass\nexcept* A:\n    pass\n",
    "for i, (j, k) in enumerate(x):\n    continue\nelse:\n    pass\nwhile x:\n    break\n",
    "with a as b, c:\n    pass\nasync def g():\n    async with a:\n        async for x in y:\n            await x\n",
    "match p:\n    case [1, *rest] if rest:\n        pass\n    case {'k': v, **kw}:\n        pass\n"
    "    case Point(x=0) | None:\n        pass\n    case _:\n        pass\n",
    "f = lambda x, *y, **z: (x, *y)\ng = [a for a in b if a for c in d]\nh = {k: v for k, v in e}\ni = {*a}\n",
    "a[1:2, ::3] = b if c else d\ndel a[0], b.c\nglobal q\nx: list[int]\ny += 1\nz = not -+~w\n",
    "print(*a, **b, sep='')\nassert x, 'msg'\nyield_ = (yield)\n(x := 1)\n",
    "s = ('a' 'b'\n     f'{c}')\nt = b'\\x00'\n",
    "type X = int\n",
]


def _libcst_events(module: cst.Module) -> list[tuple[Any, ...]]:
    events: list[tuple[Any, ...]] = []

    class Record(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            events.append(("visit", id(node)))
            return True

        def on_leave(self, original_node: cst.CSTNode) -> None:
            events.append(("leave", id(original_node)))

        def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
            events.append(("visit", id(node), attribute))

        def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
            events.append(("leave", id(original_node), attribute))

    module.visit(Record())
    return events


class _EveryMethod(dict[str, Callable[[cst.CSTNode], None]]):
    """A method table answering every ``visit_*``/``leave_*`` name with a recorder."""

    def __init__(self, events: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.events = events

    def get(self, key: str, default: Any = None) -> Callable[[cst.CSTNode], None]:
        kind, _, rest = key.partition("_")
        _, _, attribute = rest.partition("_")  # node class names have no underscore
        if attribute:
            return lambda node: self.events.append((kind, id(node), attribute))
        return lambda node: self.events.append((kind, id(node)))


def _walk_events(module: cst.Module) -> list[tuple[Any, ...]]:
    events: list[tuple[Any, ...]] = []
    walk(module, _EveryMethod(events))
    return events


def _texts() -> list[tuple[str, str]]:
    own = sorted((REPO / "mlaudit").rglob("*.py")) + sorted((REPO / "examples").rglob("*.py"))
    cases = sorted((REPO / "mlaudit" / "rules").rglob("cases/*.py"))
    return [(f"snippet {i}", s) for i, s in enumerate(SNIPPETS)] + [
        (str(p.relative_to(REPO)), p.read_text()) for p in own + cases
    ]


def test_walk_makes_libcsts_events_in_libcsts_order() -> None:
    events = 0
    for name, text in _texts():
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError:
            continue  # catalogue cases of unparsable files
        expected = _libcst_events(module)
        assert _walk_events(module) == expected, name
        events += len(expected)
    assert events > 1_000_000


def test_only_existing_methods_are_called_and_attribute_hooks_wrap_the_field() -> None:
    module = cst.parse_module("if a:\n    b = 1\nelse:\n    c = 2\n")
    calls: list[str] = []
    walk(
        module,
        {
            "visit_If": lambda n: calls.append("visit_If"),
            "visit_If_orelse": lambda n: calls.append("visit_If_orelse"),
            "visit_Name": lambda n: calls.append(f"Name {n.value}"),  # type: ignore[attr-defined]
            "leave_If_orelse": lambda n: calls.append("leave_If_orelse"),
        },
    )
    assert calls == ["visit_If", "Name a", "Name b", "visit_If_orelse", "Name c", "leave_If_orelse"]


def test_module_level_statements_are_announced() -> None:
    module = cst.parse_module("import os\n\ndef f():\n    x = 1\n")
    heard: list[tuple[int | None, str]] = []
    current: list[int | None] = [None]

    def on_statement(index: int | None) -> None:
        current[0] = index

    walk(module, {"visit_Name": lambda n: heard.append((current[0], n.value))}, on_statement)  # type: ignore[attr-defined]
    assert heard == [(0, "os"), (1, "f"), (1, "x")]
    assert current[0] is None


def _node_classes() -> list[type]:
    return sorted(
        (
            c
            for c in vars(cst).values()
            if isinstance(c, type)
            and issubclass(c, cst.CSTNode)
            and not inspect.isabstract(c)
            and "_visit_and_replace_children" in vars(c)
        ),
        key=lambda c: c.__name__,
    )


@pytest.mark.parametrize("cls", _node_classes(), ids=lambda c: c.__name__)
def test_every_node_class_has_readable_fields(cls: type) -> None:
    fields = child_fields(cls)
    names = {f.name for f in cls.__dataclass_fields__.values()}  # type: ignore[attr-defined]
    assert {name for name, _ in fields} <= names
    assert len({name for name, _ in fields}) == len(fields)
