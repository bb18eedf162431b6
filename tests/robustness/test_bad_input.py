"""The bad-input corpus (issue 7, item 1): every strange file a repository can hold, generated here, each
run through the real CLI. For each: the exact outcome (analysed, or one clear error for that file), the
exit code (1 when a file could not be analysed, 2 for usage errors), the rest of the project still
analysed (``other.py``'s known finding), and never a traceback (asserted in ``audit``).

All runs use ``--fail-on error``: the companion's finding is a warning, so exit 0 means "everything
was analysed" and exit 1 "some file could not be".
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import libcst
import pytest

from mlaudit import api
from mlaudit.engine import runner
from tests.conftest import notebook, write_files
from tests.robustness.helpers import COMPANION, audit, drop_dac_prefix

UNUSED = "# mlaudit: ignore[parse-error]"
"""A trailing directive that suppresses nothing: an MLA002 finding at a known column proves that the
file was decoded, parsed and mapped back to the right row and column."""


def make(root: Path, files: dict[str, str | bytes]) -> Path:
    return write_files(root, {**COMPANION, **files})


def assert_analysed(run, *, code: int = 0) -> None:  # type: ignore[no-untyped-def]
    assert run.code == code, run.stdout + run.stderr
    assert run.companion_analysed


def assert_one_error(run, filename: str, *message_parts: str) -> None:  # type: ignore[no-untyped-def]
    """Exactly one file could not be analysed: an ``errors`` entry and an MLA001 finding, exit 1."""
    assert run.code == 1, run.stdout + run.stderr
    assert list(run.errors) == [filename], run.errors
    for part in message_parts:
        assert part in run.errors[filename], run.errors[filename]
    assert [f[0] for f in run.findings(filename)] == ["MLA001"]
    assert run.companion_analysed


# --- plain text oddities: all analysed --------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"empty.py": ""}))
    assert_analysed(run)
    assert run.report is not None and run.report["summary"]["files"] == 2
    assert run.findings("empty.py") == []


def test_only_comments(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"comments.py": "# a comment\n#!not a shebang\n   # indented\n"}))
    assert_analysed(run)
    assert run.findings("comments.py") == []


def test_utf8_bom(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"bom.py": b"\xef\xbb\xbfx = 'caf\xc3\xa9'  " + UNUSED.encode() + b"\n"}))
    assert_analysed(run)
    assert run.findings("bom.py") == [("MLA002", "bom.py", 1, 13)]  # the BOM is not a column


def test_crlf_line_endings(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"crlf.py": f"a = 1\r\nb = 2  {UNUSED}\r\nc = 3\r\n".encode()}))
    assert_analysed(run)
    assert run.findings("crlf.py") == [("MLA002", "crlf.py", 2, 8)]


def test_mixed_line_endings(tmp_path: Path) -> None:
    source = f"a = 1\r\nb = 2\nc = 3\rd = 4  {UNUSED}\n"  # CRLF, LF and a lone CR
    run = audit(make(tmp_path, {"mixed.py": source.encode()}))
    assert_analysed(run)
    assert run.findings("mixed.py") == [("MLA002", "mixed.py", 4, 8)]


def test_form_feeds_and_unicode_line_separators_are_not_line_breaks(tmp_path: Path) -> None:
    """Python ends lines only at \\r\\n, \\r and \\n; ``str.splitlines`` also at \\x0c, U+2028 and more,
    which once shifted every later line of the shown source (and of fingerprints and notebook cells)."""
    source = f"import os\n\x0c\ns = 'a\u2028b\x1cc'\nt = 1  {UNUSED}\n"
    make(tmp_path, {"odd.py": source, "odd.ipynb": notebook("x = 0\n", source)})
    run = audit(tmp_path)
    assert_analysed(run)
    assert run.findings("odd.py") == [("MLA002", "odd.py", 4, 8)]
    cells = [
        (f["cell"], f["location"]["row"]) for f in run.report["findings"] if f["filename"] == "odd.ipynb"
    ]  # type: ignore[index]
    assert cells == [(2, 4)]
    full = audit(tmp_path, fmt="full")
    assert f"4 | t = 1  {UNUSED}" in full.stdout


def test_tab_indentation(tmp_path: Path) -> None:
    source = f"def f(x):\n\tif x:\n\t\treturn 1  {UNUSED}\n\treturn 2\n"
    run = audit(make(tmp_path, {"tabs.py": source}))
    assert_analysed(run)
    assert run.findings("tabs.py") == [("MLA002", "tabs.py", 3, 13)]  # a tab is one column


def test_inconsistent_tabs_and_spaces_is_a_syntax_error(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"taberror.py": "if x:\n        a = 1\n\tb = 2\n"}))
    assert_one_error(run, "taberror.py", "syntax error", "inconsistent use of tabs and spaces")


def test_python_warnings_about_the_code_stay_quiet(tmp_path: Path) -> None:
    """CPython warns while parsing some valid code; those warnings once reached stderr as
    ``<unknown>:2: SyntaxWarning: invalid decimal literal``, naming no file."""
    source = 'y = 0\nx = 1if y else 2\npattern = "\\d+"\nz = 0x1for\n'
    run = audit(make(tmp_path, {"noisy.py": source}))
    assert "Warning" not in run.stderr, run.stderr
    assert_one_error(run, "noisy.py", "syntax error")  # line 4 is invalid; lines 2-3 only warn


# --- encodings --------------------------------------------------------------------------------------


def test_latin1_with_pep263_cookie_is_decoded(tmp_path: Path) -> None:
    source = f"# -*- coding: latin-1 -*-\nname = 'café'  {UNUSED}\n".encode("latin-1")
    run = audit(make(tmp_path, {"latin1.py": source}))
    assert_analysed(run)
    assert run.findings("latin1.py") == [("MLA002", "latin1.py", 2, 16)]


def test_latin1_cookie_on_a_line_that_is_not_utf8_itself(tmp_path: Path) -> None:
    # tokenize.detect_encoding gives up on a non-UTF-8 first line before reading its cookie; CPython doesn't.
    source = f"# coding: latin-1 (é)\nname = 'é'  {UNUSED}\n".encode("latin-1")
    run = audit(make(tmp_path, {"latin1.py": source}))
    assert_analysed(run)
    assert run.findings("latin1.py") == [("MLA002", "latin1.py", 2, 13)]


def test_non_utf8_without_cookie_is_an_error_naming_the_fix(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"latin1.py": "name = 'café'\n".encode("latin-1")}))
    assert_one_error(run, "latin1.py", "cannot decode as utf-8", "add a PEP 263 coding cookie")
    assert run.findings("latin1.py") == [("MLA001", "latin1.py", 1, 1)]


def test_non_utf8_on_a_later_line_is_located(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"latin1.py": b"a = 1\nb = 2\nname = 'caf\xe9'\n"}))
    assert_one_error(run, "latin1.py", "cannot decode as utf-8")
    assert run.findings("latin1.py") == [("MLA001", "latin1.py", 3, 1)]


def test_unknown_encoding_cookie(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"klingon.py": "# coding: klingon\nx = 1\n"}))
    assert_one_error(run, "klingon.py", "invalid encoding declaration", "unknown encoding: klingon")


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    blob = bytes(random.Random(7).randrange(256) for _ in range(4096)) + b"\x00"
    run = audit(make(tmp_path, {"model.py": blob}))
    assert_one_error(run, "model.py", "binary file: contains NUL bytes, not Python source")


def test_binary_file_without_nul_bytes(tmp_path: Path) -> None:
    blob = bytes(random.Random(7).randrange(128, 256) for _ in range(4096))
    run = audit(make(tmp_path, {"weights.py": blob}))
    assert_one_error(run, "weights.py", "cannot decode as utf-8")


# --- syntax from other Pythons -----------------------------------------------------------------------


def test_python2_syntax(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"py2.py": "import os\nprint 'hello'\n"}))
    assert_one_error(run, "py2.py", "syntax error: Missing parentheses in call to 'print'")
    assert run.findings("py2.py") == [("MLA001", "py2.py", 2, 1)]


GLOBAL = "counter = 0\n\n\n"
NEWER_SYNTAX = {
    # Python 3.12 (PEP 695 type aliases and type parameters; PEP 701 f-strings)
    "pep695.py": GLOBAL + "type Vector = list[float]\n\n\ndef bump[T](x: T) -> T:\n    global counter\n"
    "    counter += 1\n    return x\n",
    "pep701.py": GLOBAL + "def f(xs):\n    global counter\n    counter += 1\n"
    '    return f"{\'\\n\'.join(xs)}" + f"{"nested"}"\n',
    # Python 3.13 (PEP 696 type parameter defaults)
    "pep696.py": GLOBAL + "def f[T = int](x: T) -> T:\n    global counter\n    counter += 1\n    return x\n",
    # Python 3.14 (PEP 750 template strings; PEP 758 except without parentheses)
    "pep750.py": GLOBAL + 'def f(name):\n    global counter\n    counter += 1\n    return t"hi {name}"\n',
    "pep758.py": GLOBAL + "def f():\n    global counter\n    counter += 1\n    try:\n        pass\n"
    "    except ValueError, TypeError:\n        pass\n",
}


@pytest.mark.parametrize("name", sorted(NEWER_SYNTAX))
def test_syntax_newer_than_the_running_python_is_analysed(tmp_path: Path, name: str) -> None:
    """libcst 1.9 parses Python 3.0-3.14 whatever Python mlaudit runs on: a project targeting a newer
    Python than mlaudit's interpreter is fully analysed (its rules run: MLA101 on `global counter`)."""
    run = audit(make(tmp_path, {name: NEWER_SYNTAX[name]}), "--extend-select", "MLA101")  # MLA101 is opt-in
    assert_analysed(run)
    assert [f[0] for f in run.findings(name)] == ["MLA101"]


def test_syntax_the_parser_does_not_support_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When this interpreter accepts code that libcst cannot parse (none known for libcst 1.9: its
    grammar is newer than 3.11's), the error says so instead of calling valid code a syntax error."""
    make(tmp_path, {"valid.py": "x = 1\n"})
    real = libcst.parse_module

    def refuse(text: str, *args: object, **kwargs: object) -> libcst.Module:
        if "x = 1" in text:
            raise libcst.ParserSyntaxError("unsupported", lines=[text], raw_line=1, raw_column=2)
        return real(text)

    monkeypatch.setattr(libcst, "parse_module", refuse)
    report = api.check([tmp_path], api.CheckOptions(isolated=True, jobs=1, no_cache=True))
    assert [(e.filename, e.message) for e in report.errors] == [
        ("valid.py", "syntax not supported by mlaudit's parser (libcst) for this Python version: unsupported")
    ]
    assert api.exit_code(report, api.Severity.ERROR) == 1


# --- size and depth -----------------------------------------------------------------------------------


def generated_module(megabytes: float) -> str:
    chunks, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        chunk = f"def func_{i}(a, b):\n    c = a + b * {i}\n    return c\n\n\n"
        chunks.append(chunk)
        size += len(chunk)
        i += 1
    return "".join(chunks)


def test_ten_megabyte_generated_module_is_refused_quickly(tmp_path: Path) -> None:
    """libcst needs ~500 bytes of memory per byte of dense code (5 GB and minutes for this file): over
    ``max-file-size`` (2 MB by default) a file is an error, not analysed, and the run stays fast."""
    run = audit(make(tmp_path, {"generated_pb2.py": generated_module(10)}), timeout=60)
    assert_one_error(
        run,
        "generated_pb2.py",
        "not analysed: 10.0 MB of code is over the 2 MB limit (`max-file-size` setting)",
        "exclude generated files or raise the limit",
    )


def test_max_file_size_is_configurable(tmp_path: Path) -> None:
    make(tmp_path, {"mid.py": generated_module(0.3)})
    refused = audit(
        tmp_path, "--config", str(write_config(tmp_path, "max-file-size = 0.2\n")), isolated=False
    )
    assert_one_error(refused, "mid.py", "over the 0.2 MB limit")
    raised = audit(tmp_path, "--config", str(write_config(tmp_path, "max-file-size = 0.5\n")), isolated=False)
    assert_analysed(raised)
    unlimited = audit(
        tmp_path, "--config", str(write_config(tmp_path, "max-file-size = 0\n")), isolated=False
    )
    assert_analysed(unlimited)


def write_config(root: Path, text: str) -> Path:
    path = root / "mlaudit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_expression_nested_500_deep_is_analysed(tmp_path: Path) -> None:
    """500 levels of operators (valid Python): analysed, no recursion error, later code still seen."""
    deep = {
        "unary.py": "x = " + "-" * 500 + "1\n",
        "boolean.py": "x = " + "not " * 500 + "y\n",
        "binop.py": "x = " + " + ".join(["1"] * 500) + "\n",
        "attribute.py": "x = a" + ".b" * 500 + "\n",
        "lambdas.py": "f = " + "lambda: " * 500 + "1\n",
        "conditional.py": "x = " + "1 if y else " * 500 + "2\n",
    }
    run = audit(  # complexity rules are opt-in: select them, they measure these files too
        make(tmp_path, {name: src + f"z = 3  {UNUSED}\n" for name, src in deep.items()}),
        "--extend-select",
        "MLA6",
    )
    assert_analysed(run)
    for name in deep:
        assert [f[0] for f in run.findings(name)] == ["MLA002"], name


def test_brackets_nested_500_deep_are_a_syntax_error_as_in_cpython(tmp_path: Path) -> None:
    """CPython refuses more than 200 nested brackets ("too many nested parentheses") in every version;
    libcst would take quadratic time on them (3000 nested calls: minutes, in uninterruptible native code)."""
    run = audit(make(tmp_path, {"calls.py": "x = " + "f(" * 500 + "1" + ")" * 500 + "\n"}))
    assert_one_error(run, "calls.py", "syntax error: too many nested parentheses")


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("unary.py", "x = " + "-" * 100_000 + "1\n"),
        ("chain.py", "x = " + " + ".join(["1"] * 20_000) + "\n"),
        ("boolean.py", "x = " + " and ".join(["a"] * 30_000) + "\n"),
    ],
)
def test_absurd_nesting_is_an_error_not_a_crash(tmp_path: Path, name: str, source: str) -> None:
    """Deeper than any Python can compile: libcst's native parser would overflow the C stack (a
    segmentation fault that ends the run) or take minutes. One clear error for the file instead."""
    run = audit(make(tmp_path, {name: source}), timeout=60)
    assert_one_error(run, name, "nested too deeply")


def test_fifty_thousand_line_function(tmp_path: Path) -> None:
    body = "".join(f"    v{i} = v{i - 1} + {i}\n" for i in range(1, 50_000))
    source = "def long(v0):\n" + body + "    return v49999\n"
    run = audit(make(tmp_path, {"long.py": source}), "--extend-select", "MLA6", timeout=300)
    assert_analysed(run)
    assert ("MLA602", "long.py", 1, 1) in run.findings("long.py")  # long-function, measured


# --- notebooks ----------------------------------------------------------------------------------------


def test_notebook_that_is_not_json(tmp_path: Path) -> None:
    run = audit(make(tmp_path, {"nb.ipynb": '{"cells": [\n  {"cell_type": "code",,}\n]}'}))
    assert_one_error(run, "nb.ipynb", "notebook is not valid JSON: Expecting property name")
    assert run.findings("nb.ipynb") == [("MLA001", "nb.ipynb", 2, 24)]


def test_nbformat_3_notebook(tmp_path: Path) -> None:
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
    run = audit(make(tmp_path, {"old.ipynb": json.dumps(v3)}))
    assert_one_error(run, "old.ipynb", "unsupported notebook format 3: nbformat 4 or newer is required")


def test_notebook_without_cells(tmp_path: Path) -> None:
    run = audit(
        make(tmp_path, {"nb.ipynb": json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}})})
    )
    assert_one_error(run, "nb.ipynb", "notebook has no `cells` list")


def test_notebook_cell_source_as_a_string(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": f"x = 1\ny = 2  {UNUSED}\n"},
    ]
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    run = audit(make(tmp_path, {"nb.ipynb": json.dumps(nb)}))
    assert_analysed(run)
    finding = next(f for f in run.report["findings"] if f["filename"] == "nb.ipynb")  # type: ignore[index]
    assert (finding["code"], finding["cell"], finding["location"]) == ("MLA002", 2, {"row": 2, "column": 8})


def test_notebook_with_magics_and_shell_escapes_everywhere(tmp_path: Path) -> None:
    cells = [
        "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n!pip install -q numpy\n",
        "files = !ls -la\nhome = %env HOME\nimport os\nos.path?\n??os.path.join\n",
        "for i in range(3):\n    !echo {i}\n    %time x = i\n    y = i  " + UNUSED + "\n",
        "%%bash\necho hi\nfor f in *; do echo $f; done\n",
        "%%writefile helper.py\ndef broken(:\n",
        "%%time\nz = 1\n",
        "!ls \\\n  -la\n",
        "%%capture out\nprint('quiet')\n",
    ]
    run = audit(make(tmp_path, {"nb.ipynb": notebook(*cells)}))
    assert_analysed(run)
    finding = next(f for f in run.report["findings"] if f["filename"] == "nb.ipynb")  # type: ignore[index]
    assert (finding["code"], finding["cell"], finding["location"]["row"]) == ("MLA002", 3, 4)


def test_notebook_with_a_five_megabyte_output(tmp_path: Path) -> None:
    nb = json.loads(notebook(f"print('a')  {UNUSED}\n"))
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["x" * 5_000_000]}]
    run = audit(make(tmp_path, {"big.ipynb": json.dumps(nb)}), timeout=60)
    assert_analysed(run)  # outputs are not code: max-file-size applies to the code cells only
    assert [f[:3] for f in run.findings("big.ipynb")] == [("MLA002", "big.ipynb", 1)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"nbformat": 4, "cells": [], "x": ' + "9" * 5000 + "}", "notebook cannot be decoded"),
        (
            '{"nbformat": 4, "cells": [], "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "notebook cannot be decoded",
        ),
        ("[]", "notebook JSON must be an object"),
        ('{"nbformat": "4", "cells": []}', "unsupported notebook format '4'"),
        ('{"nbformat": 4, "cells": [1]}', "cell 1 is not an object"),
        (
            '{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}',
            "`source` must be a string or a list",
        ),
        ('{"nbformat": 4, "cells": [], "metadata": {"language_info": {"name": "R"}}}', "language is 'r'"),
        ("", "notebook is not valid JSON"),
    ],
)
def test_malformed_notebooks_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    run = audit(make(tmp_path, {"nb.ipynb": content}))
    assert_one_error(run, "nb.ipynb", message)


@pytest.mark.parametrize("metadata", ["[]", '"python"', '{"language_info": "python"}', "null"])
def test_odd_notebook_metadata_is_tolerated(tmp_path: Path, metadata: str) -> None:
    cells = '[{"cell_type": "code", "source": "x = 1"}]'
    content = f'{{"nbformat": 4, "metadata": {metadata}, "cells": {cells}}}'
    run = audit(make(tmp_path, {"nb.ipynb": content}))
    assert_analysed(run)


# --- the file system ---------------------------------------------------------------------------------


def test_unreadable_file_and_directory(tmp_path: Path) -> None:
    """Permissions: run without root's CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH when the suite runs as root
    (via setpriv), so that mode 000 really denies reading."""
    prefix = drop_dac_prefix()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    make(tmp_path, {"secret.py": "x = 1\n", "closed/inner.py": "y = 1\n"})
    (tmp_path / "secret.py").chmod(0)
    (tmp_path / "closed").chmod(0)
    try:
        run = audit(tmp_path, prefix=prefix)
    finally:
        (tmp_path / "closed").chmod(0o755)
        (tmp_path / "secret.py").chmod(0o644)
    assert run.code == 1
    assert run.errors == {
        "closed": "cannot read directory: Permission denied",
        "secret.py": "cannot read file: Permission denied",
    }
    assert run.companion_analysed


def test_named_pipe_called_py_does_not_hang_the_run(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    make(tmp_path, {})
    os.mkfifo(tmp_path / "pipe.py")
    run = audit(tmp_path, timeout=60)
    assert_one_error(run, "pipe.py", "not a regular file")


def test_directory_symlink_loop_is_a_warning_and_files_are_analysed_once(tmp_path: Path) -> None:
    make(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": f"x = 1  {UNUSED}\n"})
    (tmp_path / "pkg" / "again").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "pkg" / "up").symlink_to(tmp_path, target_is_directory=True)
    run = audit(tmp_path, timeout=60)
    assert_analysed(run)
    assert run.findings("pkg/mod.py") == [("MLA002", "pkg/mod.py", 1, 8)]
    assert run.report is not None and run.report["summary"]["files"] == 3
    assert sorted(w for w in run.report["warnings"] if "symlink loop" in w) == [
        "pkg/again: directory symlink loop, not followed",
        "pkg/up: directory symlink loop, not followed",
    ]


def test_dangling_symlink(tmp_path: Path) -> None:
    make(tmp_path, {})
    (tmp_path / "gone.py").symlink_to(tmp_path / "nowhere.py")
    run = audit(tmp_path)
    assert run.code == 1
    assert run.errors == {"gone.py": "dangling symlink: target does not exist"}
    assert run.companion_analysed


def test_file_deleted_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic: the file disappears between discovery and analysis."""
    make(tmp_path, {"doomed.py": "x = 1\n"})
    real = api.discover

    def discover_then_delete(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real(*args, **kwargs)
        (tmp_path / "doomed.py").unlink()
        return found

    monkeypatch.setattr(api, "discover", discover_then_delete)
    report = api.check([tmp_path], api.CheckOptions(isolated=True, jobs=1, no_cache=True))
    assert [(e.filename, e.message) for e in report.errors] == [("doomed.py", "file vanished during the run")]
    assert [(f.code, f.filename) for f in report.findings] == [
        ("MLA001", "doomed.py"),
        ("MLA002", "other.py"),
    ]
    assert api.exit_code(report, api.Severity.ERROR) == 1


def test_path_argument_that_does_not_exist(tmp_path: Path) -> None:
    make(tmp_path, {})
    proc = audit(tmp_path, "missing.py")
    assert proc.code == 2
    assert proc.stdout == ""
    assert proc.stderr == "mlaudit: error: missing.py: no such file or directory\n"


def test_engine_bug_on_one_file_is_an_internal_error_for_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: an exception escaping the engine's per-file analysis (a bug) is recorded for
    that file (exit 2), and every other file is still reported."""
    make(tmp_path, {"victim.py": "x = 1\n"})
    real = runner.read_source

    def explode(data: bytes, *, notebook: bool):  # type: ignore[no-untyped-def]
        if data == b"x = 1\n":
            raise KeyError("boom")
        return real(data, notebook=notebook)

    monkeypatch.setattr(runner, "read_source", explode)
    report = api.check([tmp_path], api.CheckOptions(isolated=True, jobs=1, no_cache=True))
    assert report.internal_error
    assert [(e.code, e.filename, e.message) for e in report.errors] == [
        ("engine", "victim.py", "internal error in engine: KeyError: 'boom'")
    ]
    assert [(f.code, f.filename) for f in report.findings] == [("MLA002", "other.py")]
    assert api.exit_code(report, api.Severity.ERROR) == 2


def test_internal_error_messages_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``KeyError`` on a CST node once put the node's whole subtree (megabytes) into the report."""
    make(tmp_path, {"victim.py": "x = 1\n"})

    def explode(data: bytes, *, notebook: bool):  # type: ignore[no-untyped-def]
        raise KeyError("node " * 100_000)

    monkeypatch.setattr(runner, "read_source", explode)
    report = api.check([tmp_path], api.CheckOptions(isolated=True, jobs=1, no_cache=True))
    assert report.internal_error
    assert all(len(e.message) < 400 for e in report.errors)
    assert report.errors[0].message.startswith("internal error in engine: KeyError: 'node node")


# --- configuration ------------------------------------------------------------------------------------


def test_pyproject_with_a_toml_syntax_error(tmp_path: Path) -> None:
    make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n[tool.mlaudit\nselect = ["MLA1"]\n'})
    run = audit(tmp_path, isolated=False)
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"mlaudit: error: {tmp_path.resolve() / 'pyproject.toml'}: invalid TOML: ")
    assert "(at line 3, column 14)" in run.stderr


def test_pyproject_with_invalid_mlaudit_values(tmp_path: Path) -> None:
    config = (
        "[tool.mlaudit]\n"
        'respect-gitignore = "maybe"\n'
        'timeout = "soon"\n'
        "max-file-size = -1\n"
        'selct = ["MLA1"]\n'
    )
    make(tmp_path, {"pyproject.toml": config})
    run = audit(tmp_path, isolated=False)
    assert run.code == 2
    assert run.stdout == ""
    where = tmp_path.resolve() / "pyproject.toml"
    lines = run.stderr.removeprefix("mlaudit: error: ").splitlines()
    assert lines == [
        f"{where}: invalid value for `respect-gitignore`: expected true or false, got 'maybe'",
        f"{where}: invalid value for `timeout`: expected a number, got 'soon'",
        f"{where}: invalid value for `max-file-size`: must be at least 0.0, got -1",
        f"{where}: unknown key `selct`; did you mean `select`?",
    ]


def test_unknown_rule_in_config_is_a_usage_error(tmp_path: Path) -> None:
    make(tmp_path, {"mlaudit.toml": 'select = ["MLA999"]\n'})
    run = audit(tmp_path, isolated=False)
    assert run.code == 2
    assert "MLA999" in run.stderr and run.stdout == ""


def test_cli_timeout_flag_is_validated(tmp_path: Path) -> None:
    make(tmp_path, {})
    run = audit(tmp_path, "--timeout", "-1")
    assert run.code == 2
    assert "invalid value for `timeout`" in run.stderr
