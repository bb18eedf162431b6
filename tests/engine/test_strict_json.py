"""A warm run decodes the cache's pack without building pydantic's adapter (``engine.strict_json``):
exactly what the adapter wrote decodes to the same objects; anything else gets pydantic's answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from mlaudit import api
from mlaudit.engine import cache, strict_json
from mlaudit.engine.cache import PackDoc, _pack_adapter, _read_pack, packed
from mlaudit.engine.results import FileErrorInfo, FileResult, RuleCrash
from mlaudit.engine.rule import RawFinding, RelatedSite
from mlaudit.engine.source import CellStart
from mlaudit.engine.suppressions import Directive, InvalidDirective, Suppressions
from mlaudit.facts.span import Span
from tests.conftest import write_files


def _rich_pack() -> PackDoc:
    finding = RawFinding(
        "MLA101",
        "pkg/m.py",
        Span(3, 1, 5, 9),
        "Avoid `global`.",
        snippet="global CACHE",
        related=[RelatedSite("pkg/n.py", Span(1, 2, 3, 4), "defined here"), RelatedSite("x.py", Span(1, 1, 1, 1))],
    )
    result = FileResult(
        rel="pkg/m.py",
        module="pkg.m",
        digest="ab" * 32,
        findings=[finding],
        error=FileErrorInfo("cannot parse: é \u2603", Span(1, 1, 1, 2), template=True),
        crashes=[RuleCrash("MLA201", "boom", "Traceback ...")],
        suppressions=Suppressions(
            directives=[Directive("ignore", ("MLA101", "MLA102"), ("global-statement",), Span(2, 5, 2, 30), 2, 4, {"MLA101"})],
            invalid=[InvalidDirective(Span(7, 1, 7, 9), "unknown rule `x`")],
        ),
        cells=[CellStart(1, 1), CellStart(9, 3)],
        rules_run=("MLA101", "MLA201"),
    )
    empty = FileResult(rel="pkg/__init__.py", module="pkg")
    return PackDoc(
        entries={"k1": packed(result), "k2": packed(empty)},
        facts={"k1": '{"path": "pkg/m.py", "imports": []}'},
        project_key="abc",
        project=[finding],
    )


def test_what_the_adapter_wrote_decodes_to_the_same_objects() -> None:
    doc = _rich_pack()
    data = _pack_adapter().dump_json(doc)
    strict = strict_json.decoder(PackDoc)(strict_json.parse(data))  # no Unsupported: the fast path
    assert strict == _pack_adapter().validate_json(data) == doc
    entry = strict.entries["k1"]
    assert type(entry.rules_run) is tuple and type(entry.suppressions.directives[0].used) is set
    assert type(entry.suppressions.directives[0].codes) is tuple and entry.findings[0].span == Span(3, 1, 5, 9)
    assert _read_pack(data) == doc


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["project"][0]["span"].update(line="3"),  # pydantic coerces a numeric string
        lambda d: d["entries"]["k1"].update(extra=1),  # an unknown key: pydantic ignores it
        lambda d: d["entries"]["k1"]["findings"][0].update(related=[]),  # fine for both
        lambda d: d["entries"]["k1"]["error"].update(template=1),  # an int for a bool: pydantic's call
        lambda d: d["entries"]["k2"].update(rules_run="MLA101"),  # refused by both
        lambda d: d["entries"]["k2"].pop("module"),  # a required field: refused by both
        lambda d: d.update(entries=[]),
    ],
)
def test_anything_else_gets_pydantics_answer(damage: Any) -> None:
    raw = json.loads(_pack_adapter().dump_json(_rich_pack()))
    damage(raw)
    data = json.dumps(raw).encode()
    try:
        expected: Any = _pack_adapter().validate_json(data)
    except ValidationError:
        expected = ValidationError
    try:
        got: Any = _read_pack(data)
    except ValidationError:
        got = ValidationError
    assert got == expected


def test_types_it_cannot_read_exactly_are_left_to_pydantic() -> None:
    @dataclass
    class Floats:
        ratio: float

    @dataclass
    class Unions:
        value: int | str

    for tp in (Floats, Unions, dict[int, str], tuple[int, str]):
        with pytest.raises(strict_json.Unsupported):
            strict_json.decoder(tp)
    with pytest.raises(strict_json.Unsupported):
        strict_json.decoder(list[int])([1, True])  # a bool for an int: pydantic's business
    with pytest.raises(strict_json.Unsupported):
        strict_json.decoder(str)(None)


@dataclass
class Tree:
    name: str
    children: list[Tree] = field(default_factory=list)


def test_a_recursive_dataclass() -> None:
    decoded = strict_json.decoder(Tree)({"name": "a", "children": [{"name": "b"}, {"name": "c", "children": []}]})
    assert decoded == Tree("a", [Tree("b"), Tree("c")])


def test_a_warm_run_builds_no_pack_adapter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": "CACHE = {}\n\n\ndef f():\n    global CACHE\n    CACHE = {}\n"})
    options = api.CheckOptions(isolated=True, jobs=1, cache_dir=tmp_path / "cache")
    cold = api.check([tmp_path], options)
    cache._pack_adapter.cache_clear()
    built: list[int] = []
    real = cache._pack_adapter.__wrapped__

    def counting() -> Any:
        built.append(1)
        return real()

    monkeypatch.setattr(cache, "_pack_adapter", counting)
    warm = api.check([tmp_path], options)
    assert built == [] and warm.findings == cold.findings and warm.summary.files == cold.summary.files == 2
