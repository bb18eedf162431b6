"""Complexity family: MLA601 complex-function, MLA602 long-function, MLA603 unmaintainable-module, checked
against radon itself on real files and on small projects (functions, methods, closures, notebook cells)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from radon.complexity import cc_visit
from radon.metrics import mi_visit
from radon.raw import analyze

from mlaudit import api
from mlaudit.engine.registry import enabled_rules, needed_extractors
from mlaudit.facts.complexity import ComplexityExtractor, MaintainabilityExtractor, logical_lines
from tests.conftest import REPO, audit, check, notebook, write_files


def branches(name: str, n: int, indent: str = "") -> str:
    """A function of cyclomatic complexity ``n + 1``."""
    body = "".join(f"{indent}    if x == {i}:\n{indent}        return {i}\n" for i in range(n))
    return f"{indent}def {name}(x):\n{body}{indent}    return -1\n"


SAMPLE = f"""
{branches("small", 3)}

{branches("big", 12)}

class Model:
{branches("fit", 11, "    ")}
    def outer(self):
{branches("inner", 14, "        ")}
        return inner
"""


def test_scores_are_radon_scores(tmp_path: Path) -> None:
    findings = audit(tmp_path, {"pkg/model.py": SAMPLE}, ("MLA601",))
    got = {f.message.split(" has ")[0]: f for f in findings}
    blocks = cc_visit(textwrap.dedent(SAMPLE))
    radon = {b.fullname: b.complexity for b in blocks}
    radon.update({f"{b.fullname}.{c.name}": c.complexity for b in blocks for c in getattr(b, "closures", ())})
    assert radon["big"] == 13 and radon["Model.fit"] == 12 and radon["Model.outer.inner"] == 15
    # a closure is a function of its own, as in `radon cc`; its complexity is not added to `outer`'s
    assert sorted(got) == ["Function `Model.outer.inner`", "Function `big`", "Method `Model.fit`"]
    assert "cyclomatic complexity 13 (radon rank C, limit 10)" in got["Function `big`"].message
    fit = got["Method `Model.fit`"]
    assert (fit.location.row, fit.location.column) == (
        SAMPLE.strip().splitlines().index("    def fit(x):") + 1,
        5,
    )


def test_thresholds_are_options(tmp_path: Path) -> None:
    relaxed = audit(tmp_path, {"m.py": SAMPLE}, "MLA601", rules={"complex-function": {"max-complexity": 14}})
    assert [f.message.split(" has ")[0] for f in relaxed] == ["Function `Model.outer.inner`"]
    with pytest.raises(api.UsageError, match="max-complexity"):
        check(tmp_path, "MLA601", rules={"complex-function": {"max-complexity": 0}})


def test_notebook_cells_are_measured_on_their_own(tmp_path: Path) -> None:
    cell_code = "for r in rows:\n" + "".join(f"    if r == {i}:\n        print({i})\n" for i in range(11))
    nb = notebook(("markdown", "# t"), "import pandas as pd\nrows = []", cell_code, branches("helper", 12))
    findings = audit(tmp_path, {"notebooks/a.ipynb": nb, "tests/test_x.py": SAMPLE}, ("MLA601",))
    located = sorted((f.cell, f.location.row, f.message.split(" has ")[0]) for f in findings)
    assert located == [(3, 1, "Cell 3"), (4, 1, "Function `helper`")]


def test_long_functions_and_cells_count_logical_lines(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(78))
    func = f'def long(a):\n    """Docstring.\n\n    Many lines.\n    """\n    # a comment\n\n{body}'
    cell = "".join(f"y{i} = (\n    {i}\n)\n" for i in range(81))
    files = {"pkg/a.py": func + "    return 1\n", "notebooks/b.ipynb": notebook(cell), "pkg/c.py": func}
    findings = audit(tmp_path, files, ("MLA602",))
    hits = sorted((f.filename, f.location.row, f.message) for f in findings)
    assert hits == [
        (
            "notebooks/b.ipynb",
            1,
            "Cell 1 is 81 logical lines long (limit 80): split it into smaller, named steps",
        ),
        (
            "pkg/a.py",
            1,
            "Function `long` is 81 logical lines long (limit 80): split it into smaller, named steps",
        ),
    ]


def test_logical_lines_follow_radon_without_its_colon_quirk() -> None:
    code = textwrap.dedent(
        """
        @decorator
        def f(a):
            '''Doc.'''
            try:
                b = 1
            except ValueError:
                b = 2
            else:
                b = 3
            finally:
                pass
            if a:
                return 1
            elif b:
                return 2
            else:
                return 3
            for i in a:
                continue
            else:
                pass
            d = [1, 2]
            return d
        """
    )
    tree = ast.parse(code)
    assert logical_lines(tree.body) == 22  # def, docstring, 20 statements and clause headers
    assert logical_lines(tree.body, decorators=True) == analyze(code).lloc == 23
    quirk = "d = {'a': 1}\ne = x[1:2]\n"  # radon counts a colon as a second logical line
    assert logical_lines(ast.parse(quirk).body) == 2
    assert analyze(quirk).lloc == 4


def test_maintainability_index_is_reported_with_radons_score(tmp_path: Path) -> None:
    dense = "".join(branches(f"f{i}", 12) for i in range(12))
    files = {"pkg/dense.py": dense, "pkg/fine.py": "def f():\n    return 1\n", "tests/test_dense.py": dense}
    findings = audit(tmp_path, files, ("MLA603",))
    (finding,) = findings
    assert (finding.filename, finding.location.row) == ("pkg/dense.py", 1)
    radon_mi = mi_visit(dense, True)
    assert (
        f"maintainability index {radon_mi:.1f}" in finding.message
        or abs(float(finding.message.split("index ")[1].split(" ")[0]) - radon_mi) < 1.0
    )
    relaxed = audit(tmp_path, {}, "MLA603", rules={"unmaintainable-module": {"min-index": 0}})
    assert relaxed == []


@pytest.mark.parametrize(
    "path",
    ["mlaudit/api.py", "mlaudit/project/clones.py", "mlaudit/facts/clones.py", "mlaudit/engine/runner.py"],
)
def test_maintainability_index_is_close_to_radon_mi(path: str, tmp_path: Path) -> None:
    """The index is computed from the run's own counts, not radon's slow re-tokenisation (module
    docstring of facts/complexity.py); it stays within a point of ``radon mi``."""
    source = (REPO / path).read_text(encoding="utf-8")
    (finding,) = audit(tmp_path, {"m.py": source}, "MLA603", rules={"unmaintainable-module": {"min-index": 100}})
    ours = float(finding.message.split("index ")[1].split(" ")[0])
    assert abs(ours - mi_visit(source, True)) < 2.0


def test_maintainability_is_only_computed_for_mla603() -> None:
    reg = api.registry(plugins=False)
    from mlaudit.config.schema import Settings

    def extractors(*select: str) -> set[type]:
        enabled = enabled_rules(reg, Settings(select=select))
        return set(needed_extractors(enabled, reg.extractors))

    assert ComplexityExtractor in extractors("MLA601", "MLA602")
    assert MaintainabilityExtractor not in extractors("MLA601", "MLA602")
    assert extractors("MLA603") == {MaintainabilityExtractor}
    assert not extractors("MLA101") & {ComplexityExtractor, MaintainabilityExtractor}


def test_code_the_ast_cannot_parse_is_skipped_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libcst accepts some syntax the running Python's ``ast`` rejects (newer grammar): no radon facts,
    no crash, the other rules go on."""

    def reject(text: str) -> ast.Module:
        raise SyntaxError("newer syntax")

    monkeypatch.setattr("mlaudit.facts.complexity.ast.parse", reject)
    write_files(tmp_path, {"m.py": branches("f", 12)})
    report = check(tmp_path, "MLA6")
    assert report.findings == []
    assert not report.internal_error
