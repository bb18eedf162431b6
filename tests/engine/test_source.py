from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlaudit.engine.source import (
    SourceError,
    decode_python,
    for_analysis,
    is_databricks_source,
    is_excerpt,
    is_exercise_blank,
    mask_cell,
    mask_databricks_source,
    notebook_to_source,
    read_source,
)
from tests.conftest import check, notebook, write_files


def test_utf8_with_bom_is_decoded_without_the_bom() -> None:
    assert decode_python("\ufeffx = 'é'\n".encode()) == "x = 'é'\n"


def test_pep263_cookie_is_honoured() -> None:
    data = "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")
    assert "café" in decode_python(data)


def test_invalid_utf8_without_cookie_is_a_clear_error() -> None:
    with pytest.raises(SourceError) as exc:
        decode_python(b"x = 1\ny = '\xff\xfe'\n")
    assert "cannot decode as utf-8" in exc.value.message
    assert exc.value.line == 2


def test_binary_file_is_rejected() -> None:
    with pytest.raises(SourceError, match="binary"):
        decode_python(b"\x7fELF\x00\x00\x01")


def test_magics_are_masked_line_for_line() -> None:
    lines = ["%matplotlib inline", "!pip install x", "df.head?", "files = !ls", "    %time f()", "x = 1"]
    masked = mask_cell(lines)
    assert masked == ["pass", "pass", "pass", "files = None", "    pass", "x = 1"]
    assert len(masked) == len(lines)


def test_ipython_help_syntax_is_masked_including_wildcards() -> None:
    lines = ["torch.*Tensor?", "np.array??", "?len", "??pd.read_csv", "x = a * b", "y = f(x)  # why?"]
    assert mask_cell(lines) == ["pass", "pass", "pass", "pass", "x = a * b", "y = f(x)  # why?"]


def test_non_python_cell_magic_blanks_the_cell_and_python_ones_keep_the_body() -> None:
    assert mask_cell(["%%bash", "ls -la", "echo hi"]) == ["", "", ""]
    assert mask_cell(["%%time", "x = compute()"]) == ["pass", "x = compute()"]


def test_notebook_cells_map_back_to_cell_and_row() -> None:
    src = notebook(
        ("markdown", "# Title"), "import pandas as pd\n%matplotlib inline", "df = pd.read_csv('a.csv')\nx = 1"
    )
    out = notebook_to_source(src.encode())
    lines = out.text.splitlines()
    row = lines.index("x = 1") + 1
    assert out.map.locate(row) == (3, 2)
    assert out.map.locate(lines.index("import pandas as pd") + 1) == (2, 1)


def test_cell_source_may_be_a_string() -> None:
    data = b'{"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [{"cell_type": "code", "source": "x = 1\\ny = 2", "metadata": {}, "outputs": []}]}'
    assert "y = 2" in notebook_to_source(data).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"nbformat": 3, "worksheets": []}', "nbformat 4"),
        (b'{"nbformat": 4, "metadata": {}}', "no `cells`"),
        (b"[1, 2]", "must be an object"),
        (b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}', "`source` must be"),
    ],
)
def test_broken_notebooks_are_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        notebook_to_source(data)


def test_ipython_forms_found_in_real_notebooks_are_masked() -> None:
    import ast

    from mlaudit.engine.source import mask_cell

    cells = [
        # a tuple target for a shell capture (fsdl-text-recognizer labs)
        "if x:\n    pythonpath, = !echo $PYTHONPATH\n    %env PYTHONPATH={pythonpath}\n",
        # a line magic whose call goes on over the next line (PythonDataScienceHandbook)
        "%timeit np.fromiter((a for a in x),\n                    dtype=x.dtype)\ny = 1\n",
        # a cell whose first line is indented: IPython dedents it (machine-learning-book)
        " def compute_z(a, b):\n    return a + b\n\nprint(compute_z(1, 2))\n",
    ]
    for cell in cells:
        masked = mask_cell(cell.splitlines())
        assert len(masked) == len(cell.splitlines())  # line for line: positions stay exact
        ast.parse("\n".join(masked))
    assert mask_cell(["%timeit f(1,", "  2)", "y = 1"])[2] == "y = 1"


def _with_error_output(nb_text: str, cell_index: int, ename: str) -> bytes:
    """The notebook with a saved ``error`` output of type ``ename`` on its ``cell_index``-th cell (0-based)."""
    import json

    nb = json.loads(nb_text)
    nb["cells"][cell_index]["outputs"] = [
        {"output_type": "error", "ename": ename, "evalue": "invalid syntax", "traceback": []}
    ]
    return json.dumps(nb).encode()


def test_a_cell_meant_to_fail_with_a_syntax_error_is_blanked() -> None:
    # A teaching notebook shows that slice syntax inside a tuple is invalid: the stored output is the error.
    src = _with_error_output(notebook("import pandas as pd", "df.loc[(:, 1), (:, 'HR')]", "x = 1"), 1, "SyntaxError")
    out = notebook_to_source(src)
    assert "(:, 1)" not in out.text
    lines = out.text.splitlines()
    assert out.map.locate(lines.index("x = 1") + 1) == (3, 1)  # later cells keep their positions


def test_a_cell_is_kept_when_it_parses_or_its_error_is_not_a_syntax_error() -> None:
    fixed = _with_error_output(notebook("y = 2"), 0, "SyntaxError")  # fixed since its output was saved
    assert "y = 2" in notebook_to_source(fixed).text
    runtime = _with_error_output(notebook("df.loc[(:, 1)]"), 0, "KeyError")  # a real syntax error stays
    assert "(:, 1)" in notebook_to_source(runtime).text


def test_a_modulo_operand_inside_open_brackets_is_not_a_line_magic() -> None:
    # Stock-Prediction-Models (agent notebooks): `print(\n 'fmt %f'\n % (x,)\n)` is valid Python.
    cell = [
        "for i in range(3):",
        "    print(",
        "        'day %d: balance %f'",
        "        % (i, 1.0)",
        "    )",
        "%matplotlib inline",
        "total = (1 +",
        "         2)",
        "    %time run()",
    ]
    assert mask_cell(cell) == [*cell[:5], "pass", *cell[6:8], "    pass"]


def test_databricks_notebook_source_has_its_shell_escapes_masked_line_for_line() -> None:
    """A ``.py`` exported by Databricks runs cell by cell in its IPython kernel: ``!pip install`` there
    is valid, masked as in a ``.ipynb`` cell, with the file's line endings kept."""
    text = (
        "# Databricks notebook source\r\n!pip install mlflow\r\n\r\n# COMMAND ----------\r\n\r\n"
        "%pip install x\r\nfiles = !ls\r\nimport os\r\n"
    )
    src = for_analysis(read_source(text.encode(), notebook=False), notebook=False)
    assert src.text == (
        "# Databricks notebook source\r\npass\r\n\r\n# COMMAND ----------\r\n\r\n"
        "pass\r\nfiles = None\r\nimport os\r\n"
    )
    assert not src.map.is_notebook  # rows stay the file's lines


def test_a_plain_python_file_is_not_masked() -> None:
    text = "!pip install mlflow\nx = 1\n"
    assert for_analysis(read_source(text.encode(), notebook=False), notebook=False).text == text
    assert not is_databricks_source("x = 1\n# Databricks notebook source\n")


def test_a_databricks_cell_keeps_its_stray_indent_and_broken_lines() -> None:
    """Not IPython's leading-indent leniency: a stray space before a cell's first line is a typo in the
    file the workspace shows; a line that lost its ``# MAGIC`` prefix is not Python either."""
    text = "# Databricks notebook source\nk %md #Batch Scoring\n\n# COMMAND ----------\n\n x = 1\n"
    assert mask_databricks_source(text) == text


def test_a_databricks_source_parses_and_a_broken_one_is_still_a_parse_error(tmp_path: Path) -> None:
    from tests.conftest import check, write_files

    write_files(
        tmp_path,
        {
            "ok.py": "# Databricks notebook source\n!pip install x\n\n# COMMAND ----------\n\nimport os\n",
            "typo.py": "# Databricks notebook source\n!pip install x\n\n# COMMAND ----------\n\nprint(\u2019a')\n",
        },
    )
    report = check(tmp_path, "MLA001")
    assert [(f.filename, f.location.row) for f in report.findings] == [("typo.py", 6)]


def test_a_databricks_language_cell_in_a_notebook_is_blanked() -> None:
    """feast-workshop's Databricks notebook: a first line `%sql` makes the cell SQL. ipython-sql's line
    magic (`%sql SELECT 1` with Python after it) and a one-line `%sql` cell stay line magics."""
    assert mask_cell(["%sql", "SELECT *", "  FROM t"]) == ["", "", ""]
    assert mask_cell(["%md # Title", "Some *prose*"]) == ["", ""]
    assert mask_cell(["%sql SELECT 1", "x = 1"]) == ["pass", "x = 1"]
    assert mask_cell(["%sql"]) == ["pass"]
    assert mask_cell(["%matplotlib inline", "x = 1"]) == ["pass", "x = 1"]


def test_stacked_cell_magics_are_read_in_order() -> None:
    """ploomber's guides: `%%capture` (Python) over `%%sh` (not Python) is a shell cell."""
    assert mask_cell(["%%capture captured", "%%sh", "ploomber build --force"]) == ["", "", ""]
    assert mask_cell(["%%capture", "%%time", "x = 1"]) == ["pass", "", "x = 1"]


@pytest.mark.parametrize(
    "cell",
    [
        ["# specify loss function", "criterion = # TODO define the loss"],
        ["# TODO: Calculate the class probabilities (softmax) for img", "ps = ", "", "view(ps)"],
        ["class G:", "    def __init__(self):", "        self.in_embed = ", "        self.out_embed = "],
        ["one_hot_data = pass"],
        ["def real_mse_loss(D_out):", "    # how close is the output from being real?", "", "x = 1"],
        ["for x, y in data:", "    _, loss = ########## TO DO ############", "    total += loss"],
    ],
)
def test_an_exercise_gap_cell_is_blanked(cell: list[str]) -> None:
    """deep-learning-v2-pytorch's exercise notebooks leave gaps for the student (no saved output)."""
    lines = notebook_to_source(notebook("import torch", "\n".join(cell), "y = 2").encode()).text.splitlines()
    assert "import torch" in lines and "y = 2" in lines
    assert not any(line.strip() and line in lines for line in cell)


def test_a_real_syntax_error_is_not_an_exercise_gap() -> None:
    assert not is_exercise_blank(["x = f(1", "y = 2"], 2)
    assert not is_exercise_blank(["print 'hello'"], 1)
    assert not is_exercise_blank(["items = [1, 2", "# a comment", "total = sum(items)"], 3)
    assert is_exercise_blank(["with tf.variable_scope('pool1'):", "    # TO DO", "", "with x:"], 4)
    # A comment above a broken body line is not an empty block (typographic quotes in the book's code).
    body = ["for col in cols:", "    # fill some nulls", "    indexer = StringIndexer(col + \u201dIndex\u201d)"]
    assert not is_exercise_blank(body, 3)


def test_an_exercise_file_is_skipped_with_a_warning_and_a_broken_file_is_reported(tmp_path: Path) -> None:
    """stanford-tensorflow-tutorials' `*_starter.py` leave `_, loss = ########## TO DO ####` for the student."""
    write_files(
        tmp_path,
        {
            "examples/03_linreg_starter.py": "for x, y in data:\n    _, loss = ########## TO DO ############\n",
            "examples/train.py": "print 'hello'\n",
        },
    )
    report = check(tmp_path, "MLA001")
    assert [(f.filename, f.location.row) for f in report.findings] == [("examples/train.py", 1)]
    assert any("skipped 1 exercise file" in w and "03_linreg_starter.py" in w for w in report.warnings)


@pytest.mark.parametrize("tag", ["raises-exception", "nbval-raises-exception", "skip-execution"])
def test_a_cell_tagged_to_fail_is_blanked_and_an_untagged_broken_cell_is_reported(tmp_path: Path, tag: str) -> None:
    """learntools' Python course demonstrates `'Pluto's a planet!'` in a cell tagged `raises-exception`
    (nbval and Jupyter Book accept its error); the same cell untagged is a broken notebook."""
    nb = json.loads(notebook("x = 1", "'Pluto's a planet!'", "y = 2"))
    nb["cells"][1]["metadata"]["tags"] = [tag]
    write_files(tmp_path, {"tagged.ipynb": json.dumps(nb), "broken.ipynb": notebook("x = 1", "'Pluto's a planet!'")})
    report = check(tmp_path, "MLA001")
    assert [(f.filename, f.cell) for f in report.findings] == [("broken.ipynb", 2)]


def test_an_excerpt_starts_indented_and_a_later_indentation_error_is_not_one() -> None:
    """stanford-tensorflow-tutorials keeps `  def testGetter...(self):` cut out of TensorFlow's tests."""
    assert is_excerpt(["# From the framework's tests", "  def test_it(self):", "    pass"], 2)
    assert not is_excerpt(["import os", "  x = 1"], 2)  # a module with a stray indent is broken
    assert not is_excerpt(["  def f(self):", "    return 1", "print 'x'"], 3)  # the error is elsewhere


def test_an_excerpt_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write_files(tmp_path, {"slides/getter.py": "  def test_it(self):\n    return 1\n", "bad.py": "import os\n  x = 1\n"})
    report = check(tmp_path, "MLA001")
    assert [f.filename for f in report.findings] == ["bad.py"]
    assert any("skipped 1 code excerpt" in w and "slides/getter.py" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("[run_path] = !ls -td ./mlruns/0/* | head -1", "[run_path] = None"),
        ("first, *rest = %sx ls", "first, *rest = None"),
        ("self.files[0] = !ls", "self.files[0] = None"),
        ("s = 'a=%s' % x", "s = 'a=%s' % x"),  # Python's `%` operator, not a magic
        ("x != !y", "x != !y"),
    ],
)
def test_any_assignment_target_of_a_system_or_magic_assignment_is_masked(line: str, masked: str) -> None:
    """MLServer's docs: `[experiment_file_path] = !ls -td ./mlruns/0/* | head -1` is valid IPython."""
    assert mask_cell([line]) == [masked]


def test_a_cell_loaded_from_a_text_file_is_blanked_and_one_loaded_from_python_is_kept() -> None:
    """`%load requirements.txt` leaves `# %load requirements.txt` over the file's lines in the cell."""
    assert mask_cell(["# %load requirements.txt", "mlserver==1.3.5", "numpy"]) == ["", "", ""]
    assert mask_cell(["# %load helpers.py", "import os"]) == ["# %load helpers.py", "import os"]


@pytest.mark.parametrize(
    "line", ["pip install torch==2.1", "conda install -y faiss", "cd ../data", "matplotlib inline", "load_ext autoreload"]
)
def test_automagic_lines_are_masked(line: str) -> None:
    assert mask_cell([line, "x = 1"]) == ["pass", "x = 1"]


@pytest.mark.parametrize("line", ["pip = 3", "cd(path)", "matplotlib.use('Agg')", "    pip install x"])
def test_python_and_indented_lines_named_like_a_magic_stay(line: str) -> None:
    assert mask_cell(["if True:", line] if line.startswith(" ") else [line]) == (
        ["if True:", line] if line.startswith(" ") else [line]
    )


def test_a_python_kernel_wins_over_a_plaintext_language_info() -> None:
    data = json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "plaintext"},
            },
            "cells": [{"cell_type": "code", "source": "import os\n", "metadata": {}, "outputs": []}],
        }
    ).encode()
    assert "import os" in notebook_to_source(data).text


def test_a_non_python_kernel_and_language_stay_an_error() -> None:
    data = json.dumps(
        {
            "nbformat": 4,
            "metadata": {"kernelspec": {"name": "ir", "language": "R"}, "language_info": {"name": "R"}},
            "cells": [],
        }
    ).encode()
    with pytest.raises(SourceError, match="language is 'r'"):
        notebook_to_source(data)
