"""Property-based fuzzing (issue 7, item 2): whatever bytes a file holds, the per-file analysis returns
findings or one MLA001 error, never an exception and never a crashed rule; the result survives the
cache's JSON round trip; and a whole-project check is deterministic (same input, same bytes).

Inputs come from our own strategies (``hypothesmith`` is not a dependency): token soup that looks like
Python, the catalogue's real examples mutated by random edits (near-valid code reaches deep into every
rule), raw and re-encoded bytes, and notebook JSON from well-formed to absurd. Every rule runs
(``select = ["ALL"]``) on files of every role.

The default profile is derandomized (the same examples on every run, so CI is deterministic) and
small. ``MLAUDIT_FUZZ=deep`` explores fresh random examples, many more of them::

    MLAUDIT_FUZZ=deep .venv/bin/pytest tests/robustness/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlaudit import api
from mlaudit.config.loader import validate
from mlaudit.engine.cache import _ADAPTER
from mlaudit.engine.discovery import SourceFile
from mlaudit.engine.registry import enabled_rules, file_rules, needed_extractors
from mlaudit.engine.runner import FileResult, RunPlan, analyze
from mlaudit.engine.source import split_lines
from tests.conftest import REPO

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=1500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "deep" if os.environ.get("MLAUDIT_FUZZ") == "deep" else "ci"


@cache
def plan() -> RunPlan:
    """Every rule and extractor, as ``select = ["ALL"]`` would run them."""
    reg = api.registry(plugins=False)
    config = validate({"select": ["ALL"]}, "fuzz")
    enabled = enabled_rules(reg, config, "fuzz")
    keys = {}
    for rule in reg.rules:
        keys[rule.code.lower()] = rule.code
        keys[rule.name.lower()] = rule.code
    return RunPlan(
        settings=config,
        file_rules=tuple((e.rule, e.options) for e in file_rules(enabled)),  # type: ignore[misc]
        extractors=tuple(needed_extractors(enabled, reg.extractors)),
        rule_keys=keys,
    )


ROLES = [frozenset(), frozenset({"test"}), frozenset({"experiment"}), frozenset({"features", "train"})]


def job(rel: str, roles: frozenset[str]) -> SourceFile:
    return SourceFile(
        path=Path("/nonexistent") / rel,
        rel=rel,
        module=rel.removesuffix(".py").removesuffix(".ipynb").replace("/", "."),
        roles=roles,
        is_package=rel.endswith("__init__.py"),
        is_notebook=rel.endswith(".ipynb"),
    )


def contained(data: bytes, rel: str, roles: frozenset[str]) -> FileResult:
    """The property every input must satisfy."""
    result = analyze(job(rel, roles), plan(), data=data)
    assert isinstance(result, FileResult)
    assert not result.crashes, [(c.code, c.message, c.detail) for c in result.crashes]
    if result.error is not None:
        assert result.error.message and "Traceback" not in result.error.message
        assert result.findings == []
    for finding in result.findings:
        assert finding.span.line >= 1 and finding.span.col >= 1, finding
    # The cache stores this as JSON: it must round-trip exactly (never trusted otherwise).
    assert _ADAPTER.validate_json(_ADAPTER.dump_json(result)) == result
    return result


# --- strategies ------------------------------------------------------------------------------------

KEYWORDS = [
    "def",
    "class",
    "return",
    "if",
    "elif",
    "else",
    "for",
    "while",
    "in",
    "not",
    "and",
    "or",
    "lambda",
    "yield",
    "await",
    "async",
    "with",
    "as",
    "try",
    "except",
    "finally",
    "raise",
    "import",
    "from",
    "global",
    "nonlocal",
    "pass",
    "break",
    "continue",
    "del",
    "assert",
    "match",
    "case",
    "type",
    "None",
    "True",
    "False",
    "is",
    "print",
    "exec",
]
NAMES = [
    "x",
    "y",
    "df",
    "np",
    "pd",
    "os",
    "sys",
    "self",
    "data",
    "model",
    "fit",
    "transform",
    "fit_transform",
    "read_csv",
    "to_csv",
    "open",
    "torch",
    "random",
    "seed",
    "lr",
    "learning_rate",
    "epochs",
    "config",
    "__name__",
    "'__main__'",
    "TYPE_CHECKING",
    "_",
    "é",
    "ñame",
    "requests",
    "json",
    "pickle",
    "environ",
    "getenv",
    "Path",
    "time",
    "datetime",
    "sklearn",
    "train_test_split",
    "StandardScaler",
    "cache",
    "lru_cache",
]
OPS = [
    "=",
    "+=",
    "-=",
    ":=",
    "+",
    "-",
    "*",
    "**",
    "/",
    "//",
    "%",
    "@",
    "<",
    ">",
    "==",
    "!=",
    "<=",
    ">=",
    ".",
    ",",
    ":",
    ";",
    "->",
    "~",
    "&",
    "|",
    "^",
    "<<",
    ">>",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "...",
    "!",
    "?",
    "$",
    "`",
    "@",
]
NUMBERS = ["0", "1", "42", "0x1f", "1e10", "1_000", "0777", "1j", "3.14", "0.001", "1e-3", "0b101"]
COMMENTS = [
    "# mlaudit: ignore[global-statement]",
    "# mlaudit: ignore[MLA101, io-in-transform] reason",
    "# mlaudit: file-ignore[MLA1]",
    "# mlaudit: ignore[",
    "# mlaudit: ignore[nope]",
    "# mlaudit:ignore[]",
    "# type: ignore  # mlaudit: ignore[MLA301]",
    "# -*- coding: latin-1 -*-",
    "# noqa",
    "#",
]
NEWLINES = ["\n", "\n", "\n", "\r\n", "\r", "\x0c\n", "\u2028", "\\\n"]
INDENTS = ["", "", "    ", "        ", "\t", " ", "  \t"]

STRING_PIECES = [*"ab {}'\"\\\n\r\t%é€\x00\u2028", "{x}", "{{", "}}", "\\n", "{x!r:>{w}}"]
string_body = st.lists(st.sampled_from(STRING_PIECES), max_size=8).map("".join)
string_literal = st.builds(
    lambda prefix, quote, body: f"{prefix}{quote}{body}{quote}",
    st.sampled_from(["", "", "f", "r", "b", "rb", "t", "u", "F", "Rb"]),
    st.sampled_from(["'", '"', "'''", '"""']),
    string_body,
)
token = st.one_of(
    st.sampled_from(KEYWORDS),
    st.sampled_from(NAMES),
    st.sampled_from(OPS),
    st.sampled_from(NUMBERS),
    string_literal,
)
line = st.builds(
    lambda indent, tokens, sep, comment, newline: indent + sep.join(tokens) + comment + newline,
    st.sampled_from(INDENTS),
    st.lists(token, max_size=10),
    st.sampled_from([" ", "", " "]),
    st.one_of(st.just(""), st.sampled_from(COMMENTS).map(lambda c: "  " + c)),
    st.sampled_from(NEWLINES),
)
token_soup = st.lists(line, max_size=25).map("".join)


@cache
def seeds() -> tuple[str, ...]:
    """Real code that triggers every rule: the catalogue's examples (and cases)."""
    paths = sorted((REPO / "rules").rglob("*.py"), key=lambda p: ("/bad" not in p.as_posix(), p))
    return tuple(t for t in (p.read_text(encoding="utf-8") for p in paths) if len(t) < 6000)


FRAGMENTS = [
    "\n",
    "    ",
    "\t",
    "(",
    ")",
    "[",
    "]",
    ":",
    "def ",
    "global x\n",
    "lambda: ",
    "yield ",
    "await ",
    "if __name__ == '__main__':\n",
    "    pd.read_csv('x.csv')\n",
    "import os\n",
    "from . import a\n",
    "# mlaudit: ignore[MLA101]",
    "'",
    '"""',
    "\\",
    "async ",
    "@decorator\n",
    "*",
    "**",
    ",",
    "=",
    "%time ",
    "!ls\n",
    "\r",
    "\x0c",
    "é",
    "\ufeff",
]


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(seeds()))
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3, 5]))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "indent"]))
        lines = text.splitlines(keepends=True) or [""]
        i = draw(st.integers(0, len(lines) - 1))
        if op == "insert":
            pos = draw(st.integers(0, len(text)))
            text = text[:pos] + draw(st.sampled_from(FRAGMENTS)) + text[pos:]
        elif op == "delete":
            pos = draw(st.integers(0, len(text)))
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        elif op == "duplicate":
            text = "".join(lines[: i + 1] + lines[i:])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        else:
            lines[i] = draw(st.sampled_from(INDENTS[2:])) + lines[i]
            text = "".join(lines)
    return text


python_text = st.one_of(token_soup, mutated_seed())


def encode(text: str, how: str) -> bytes:
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "latin-1-cookie":
        return b"# -*- coding: latin-1 -*-\n" + text.encode("latin-1", "replace")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "cp1252-cookie":
        return b"# coding: cp1252\n" + text.encode("cp1252", "replace")
    return text.encode("utf-8", "surrogatepass")


python_bytes = st.one_of(
    st.builds(
        encode, python_text, st.sampled_from(["utf-8"] * 6 + ["bom", "latin-1-cookie", "latin-1", "utf-16"])
    ),
    st.binary(max_size=600),
)

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=8)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
MAGICS = [
    "%matplotlib inline\n",
    "!pip install x\n",
    "x = !ls\n",
    "y = %env HOME\n",
    "%%bash\n",
    "%%time\n",
    "df?\n",
    "??np.zeros\n",
    "    !echo {i}\n",
    "%load_ext autoreload\n",
    "!ls \\\n",
    "%%capture\n",
]


@st.composite
def cell_code(draw: st.DrawFn) -> str:
    """Real code with IPython syntax spliced in between its lines."""
    lines = draw(mutated_seed()).splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 4))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(MAGICS)))
    return "".join(lines)


good_cell = st.fixed_dictionaries(
    {
        "cell_type": st.sampled_from(["code", "code", "code", "markdown", "raw"]),
        "metadata": st.just({}),
        "source": st.one_of(cell_code(), cell_code().map(lambda t: t.splitlines(keepends=True))),
    },
    optional={"outputs": st.just([]), "execution_count": st.one_of(st.none(), st.integers(0, 99))},
)
odd_cell = st.fixed_dictionaries(
    {"cell_type": st.one_of(st.just("code"), json_value), "source": st.one_of(python_text, json_value)},
    optional={
        "metadata": json_value,
        "outputs": st.lists(
            st.fixed_dictionaries({"output_type": st.just("stream"), "text": json_value}), max_size=2
        ),
    },
)
good_notebook = st.fixed_dictionaries(
    {
        "nbformat": st.just(4),
        "nbformat_minor": st.integers(0, 5),
        "metadata": st.just({"language_info": {"name": "python"}}),
        "cells": st.lists(good_cell, min_size=1, max_size=4),
    }
)
odd_notebook = st.fixed_dictionaries(
    {
        "nbformat": st.sampled_from([4, 4, 3, 5, "4", None, True]),
        "cells": st.one_of(st.lists(st.one_of(good_cell, odd_cell), max_size=4), json_value),
    },
    optional={
        "metadata": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "language_info": st.one_of(
                        st.fixed_dictionaries({"name": st.sampled_from(["python", "R", ""])}), json_value
                    )
                },
            ),
            json_value,
        ),
    },
)


def notebook_bytes_of(nb: dict[str, object], damage: int) -> bytes:
    raw = json.dumps(nb).encode()
    if damage == 1:  # truncated, as an interrupted save leaves it
        raw = raw[: len(raw) // 2]
    elif damage == 2:
        raw = b"\xef\xbb\xbf" + raw
    return raw


notebook_bytes = st.one_of(
    st.builds(notebook_bytes_of, good_notebook, st.just(0)),
    st.builds(notebook_bytes_of, good_notebook, st.just(0)),
    st.builds(notebook_bytes_of, good_notebook, st.sampled_from([0, 1, 2])),
    st.builds(notebook_bytes_of, odd_notebook, st.sampled_from([0, 0, 1, 2])),
    json_value.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
)


# --- properties --------------------------------------------------------------------------------------


@settings(settings.get_profile(PROFILE))
@given(
    data=python_bytes,
    roles=st.sampled_from(ROLES),
    name=st.sampled_from(["pkg/mod.py", "pkg/__init__.py", "tests/test_x.py"]),
)
def test_any_python_file_gives_findings_or_one_error(data: bytes, roles: frozenset[str], name: str) -> None:
    contained(data, name, roles)


@settings(settings.get_profile(PROFILE))
@given(text=mutated_seed(), roles=st.sampled_from(ROLES))
def test_mutated_real_code_gives_findings_or_one_error(text: str, roles: frozenset[str]) -> None:
    result = contained(text.encode("utf-8", "surrogatepass"), "pkg/features.py", roles)
    if result.error is None:  # positions hold: every finding points inside the file
        assert all(f.span.line <= len(split_lines(text)) + 1 for f in result.findings)


@settings(settings.get_profile(PROFILE))
@given(data=notebook_bytes, roles=st.sampled_from(ROLES))
def test_any_notebook_gives_findings_or_one_error(data: bytes, roles: frozenset[str]) -> None:
    contained(data, "notebooks/explore.ipynb", roles | {"experiment"})


project_files = st.dictionaries(
    st.sampled_from(
        [
            "pkg/__init__.py",
            "pkg/a.py",
            "pkg/b.py",
            "pkg/features.py",
            "tests/test_a.py",
            "train.py",
            "nb.ipynb",
        ]
    ),
    st.one_of(python_bytes, mutated_seed().map(str.encode)),
    min_size=1,
    max_size=5,
)


def _report_bytes(root: Path, **options: object) -> str:
    report = api.check(
        [root],
        api.CheckOptions(isolated=True, overrides={"select": ("ALL",)}, **options),  # type: ignore[arg-type]
    )
    assert not report.internal_error, report.errors
    data = report.model_dump(mode="json")
    data["summary"].pop("duration_s")
    return json.dumps(data, sort_keys=True)


@settings(settings.get_profile(PROFILE), max_examples=min(settings.get_profile(PROFILE).max_examples, 40))
@given(files=project_files)
def test_project_report_is_deterministic_and_cache_neutral(files: dict[str, bytes]) -> None:
    """Same input, same bytes: twice without a cache, and cold then warm through one."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        first = _report_bytes(root, jobs=1, no_cache=True)
        assert _report_bytes(root, jobs=1, no_cache=True) == first
        cache_dir = root / "cache"
        assert _report_bytes(root, jobs=1, cache_dir=cache_dir) == first
        assert _report_bytes(root, jobs=1, cache_dir=cache_dir) == first
