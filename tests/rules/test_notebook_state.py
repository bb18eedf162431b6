"""MLA104 notebook-hidden-state: notebook functions that read globals other cells bind."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from mlaudit.rules.state.notebook_hidden_state import free_reads
from tests import conftest
from tests.conftest import Findings, notebook


def audit(root: Path, *cells: str | tuple[str, str], name: str = "notebooks/eda.ipynb") -> Findings:
    """One notebook of these cells, checked with MLA104."""
    return conftest.audit(root, {name: notebook(*cells)}, "MLA104")


def test_free_reads_skip_what_the_function_binds() -> None:
    source = textwrap.dedent(
        """
        def f(a, *args, b=1, **kw):
            import math as m
            c = a + b + m.pi + g
            for d in args:
                e = [x for x in d if x > h]
            with open(p) as fh:
                pass
            try:
                pass
            except Exception as err:
                print(err, kw, fh)

            def inner(q):
                return q + c + i.attr

            return e, inner, f(k=1)
        """
    )
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert sorted({n.id for n in free_reads(function)}) == [
        "Exception",
        "f",
        "g",
        "h",
        "i",
        "open",
        "p",
        "print",
    ]


def test_reports_the_first_read_naming_every_binding_cell(tmp_path: Path) -> None:
    (finding,) = audit(
        tmp_path,
        ("markdown", "# EDA"),
        "import pandas as pd\ndf = pd.read_csv('a.csv')",
        "threshold = 0.5",
        "def flag(frame):\n    x = frame['s'] > threshold\n    return x & (df['s'] > 1) & (df['t'] > threshold)",
        "df = df.dropna()",
    )
    assert (finding.cell, finding.location.row, finding.location.column) == (4, 2, 22)
    assert "`flag` (cell 4) reads `threshold` (cell 3) and `df` (cells 2, 5)" in finding.message
    assert sorted((r.cell, r.location.row) for r in finding.related) == [(2, 2), (3, 1), (5, 1)]


def test_a_name_bound_in_a_later_cell_and_methods(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        "import torch",
        "class Net(torch.nn.Module):\n    def forward(self, x):\n        return x.to(device)",
        "def later():\n    return results.mean()",
        "device = 'cpu'\nresults = None",
    )
    assert [(f.cell, f.location.row) for f in found] == [(2, 3), (3, 2)]


def test_quiet_on_what_is_not_state(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        "import numpy as np\nfrom math import pi as PI_\nSEED = 3\nlimit = 10",
        "def helper(v):\n    return v",
        "class Box:\n    pass",
        # parameters, imports, functions, classes, UPPER_CASE constants bound once, builtins
        "def f(v, limit):\n    return helper(v), Box(), np.ones(SEED), PI_, len(v), limit",
        # bound in the same cell before the def and never rebound
        "table = {'a': 1}\ndef g(k):\n    return table[k]",
        # bound only in the function's own cell, after it
        "def h():\n    return later\nlater = 1",
    )
    assert found == []


def test_rebinding_reports_names_bound_before_the_def_too(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        "table = {'a': 1}\ndef g(k):\n    return table[k]",
        "table = {}",
        "RATE = 1\n",
        "RATE = 2\ndef r():\n    return RATE",
    )
    assert [(f.cell, "table" in f.message, "RATE" in f.message) for f in found] == [
        (1, True, False),
        (4, False, True),
    ]


def test_notebooks_only(tmp_path: Path) -> None:
    files = {"notebooks/eda.py": "df = 1\n\ndef f():\n    return df\n\ndf = 2\n"}
    assert conftest.audit(tmp_path, files, "MLA104") == []
