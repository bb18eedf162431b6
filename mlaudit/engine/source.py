"""Reading source files: decoding (PEP 263, BOM) and notebooks as one virtual module.

A notebook's code cells are concatenated into one text so it is parsed once; IPython syntax (line
magics ``%``, shell escapes ``!``, help ``?``) is masked line for line so every position still holds,
and cells run by non-Python cell magics (``%%bash``) are blanked, as are cells meant to fail: a cell whose
saved outputs show a ``SyntaxError`` and that does not parse (a book showing invalid syntax on purpose).
``SourceMap`` converts a virtual
line back to ``(cell, row)``, with cells numbered over *all* cells, 1-based (ruff's convention).
"""

from __future__ import annotations

import ast
import codecs
import io
import json
import re
import tokenize
from bisect import bisect_right
from dataclasses import dataclass, field


class SourceError(Exception):
    """A file that cannot be turned into Python text. ``line``/``col``/``cell`` locate it when known."""

    def __init__(self, message: str, line: int = 1, col: int = 1, cell: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.cell = cell


@dataclass(frozen=True, slots=True)
class CellStart:
    line: int
    """First virtual line of the cell (1-based)."""
    cell: int
    """1-based index over all cells, markdown included."""


@dataclass(slots=True)
class SourceMap:
    cells: list[CellStart] = field(default_factory=list)

    @property
    def is_notebook(self) -> bool:
        return bool(self.cells)

    def locate(self, line: int) -> tuple[int | None, int]:
        """Virtual line -> (cell, row within the cell); ``(None, line)`` for plain files."""
        if not self.cells:
            return None, line
        starts = [c.line for c in self.cells]
        i = max(bisect_right(starts, line) - 1, 0)
        start = self.cells[i]
        return start.cell, line - start.line + 1


@dataclass(slots=True)
class Source:
    text: str
    map: SourceMap


_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines as Python counts them (ended by ``\\r\\n``, ``\\r`` or ``\\n``). ``str.splitlines`` also
    breaks at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029, which source may hold in
    comments and strings: every later line would be off by one."""
    lines = _NEWLINE.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def line_starts(text: str) -> list[int]:
    """The offset in ``text`` where each line (as ``split_lines`` counts them) starts."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def decode_python(data: bytes) -> str:
    """Decode ``.py`` bytes the way CPython does: BOM, then a PEP 263 cookie, else UTF-8."""
    if b"\x00" in data[:8192]:
        raise SourceError("binary file: contains NUL bytes, not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if not str(exc.msg).startswith("invalid or missing encoding declaration"):
            raise SourceError(f"invalid encoding declaration: {exc.msg}", line=exc.lineno or 1) from None
        # Line 1 or 2 is not UTF-8: tokenize gives up before looking for a cookie there, CPython does not.
        encoding = _cookie(data) or "utf-8"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        hint = "" if encoding != "utf-8" else " (add a PEP 263 coding cookie if it is not UTF-8)"
        raise SourceError(f"cannot decode as {encoding}: {exc}{hint}", line=line) from None
    return text.removeprefix("\ufeff")


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:#.*)?$")


def _cookie(data: bytes) -> str | None:
    """The PEP 263 encoding named on line 1, or on line 2 after a blank or comment line 1."""
    if data.startswith(codecs.BOM_UTF8):
        return None
    lines = data.split(b"\n", 2)[:2]
    for i, line in enumerate(lines):
        line = line.rstrip(b"\r")
        match = _COOKIE.match(line)
        if match:
            return match.group(1).decode("ascii")
        if i == 0 and not _BLANK_OR_COMMENT.match(line):
            break
    return None


# Cell magics whose body is still Python.
_PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "px", "autoreload", "python", "python3"}
)
# IPython's system and magic assignment (`files = !ls`, `[path] = !ls -td runs/* | head -1`, `a, *b = %sx ls`):
# any assignment target (names, attributes, subscripts, starred, tuple or list) before `= !`/`= %`.
_ASSIGN_MAGIC = re.compile(r"^(\s*)([\w.\[\]()*, ]*?[\w\])](?:\s*,)?)\s*=\s*[!%]")
_LOADED_FILE = re.compile(r"^#\s*%load\s+(\S+)")
"""IPython's ``%load FILE`` replaces the cell by ``# %load FILE`` and the file's text."""
_HELP = re.compile(r"^\s*(\?{1,2}[\w\.\*]+|[\w\.\*\(\)\[\]]+\?{1,2})\s*$")
"""IPython help: ``obj?``, ``obj??``, ``?obj``, and the wildcard search ``torch.*Tensor?``."""


_AUTOMAGIC = re.compile(r"^(?:pip|conda|mamba|cd|matplotlib|load_ext|reload_ext|autoreload|set_env)\s+\S")
"""A line magic without its ``%`` (IPython's automagic, on by default): ``pip install torch``."""


def _is_automagic(line: str) -> bool:
    """An unindented automagic line that is not Python on its own (``pip = 3`` stays code)."""
    if not _AUTOMAGIC.match(line):
        return False
    try:
        compile(line, "<cell>", "exec")
    except SyntaxError:
        return True
    except (ValueError, RecursionError, MemoryError):
        return False
    return False


def _mask_line(line: str) -> str:
    """Replace one line of IPython syntax by valid Python of the same indentation."""
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith(("%", "!")) or _HELP.match(line) or _is_automagic(line):
        return f"{indent}pass"
    assign = _ASSIGN_MAGIC.match(line)
    if assign:
        return f"{assign.group(1)}{assign.group(2)} = None"
    return line


def _dedent_cell(lines: list[str]) -> list[str]:
    """IPython runs a cell whose first line is indented as if dedented (its ``leading_indent``
    transformer): remove the first code line's indentation from every line that has it."""
    first = next((line for line in lines if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip())]
    if not indent:
        return lines
    return [line[len(indent) :] if line.startswith(indent) else line for line in lines]


def _open_brackets(line: str) -> int:
    """Brackets a line leaves open (strings and comments roughly skipped): an IPython line magic
    continues over the following lines until they close, like Python code does."""
    depth, quote = 0, ""
    for ch in line:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            break
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
    return depth


# Databricks language magics: a cell whose first line is one of them is SQL, Scala, R, shell or markdown
# (IPython has no such line magics; ipython-sql's `%sql` takes its query on the same line).
_DATABRICKS_LANGUAGES = frozenset({"sql", "scala", "r", "md", "sh", "fs"})


def _databricks_language(line: str) -> bool:
    words = line.strip().split(maxsplit=1)
    if not words or not words[0].startswith("%") or words[0].startswith("%%"):
        return False
    name = words[0][1:]
    return name in _DATABRICKS_LANGUAGES and (len(words) == 1 or name in {"md", "sh", "fs"})


def _loads_text(lines: list[str]) -> bool:
    """The cell is the output of ``%load`` of a file that is not Python (``# %load requirements.txt``
    over the requirements): a display of that file, not code."""
    loaded = _LOADED_FILE.match(lines[0].strip()) if lines else None
    return loaded is not None and not loaded.group(1).endswith((".py", ".ipy"))


def mask_cell(lines: list[str], *, dedent: bool = True) -> list[str]:
    """Mask IPython syntax in one code cell; a non-Python cell magic blanks the whole cell. ``dedent``:
    run IPython's leading-indent leniency first (a ``.ipynb`` cell, not a Databricks source's cell)."""
    if _loads_text(lines):
        return ["" for _ in lines]
    if dedent:
        lines = _dedent_cell(lines)
    head = 0  # stacked cell magics (`%%capture` over `%%sh`): the first non-Python one decides
    while head < len(lines) and lines[head].lstrip().startswith("%%"):
        magic = lines[head].lstrip()[2:].split(maxsplit=1)
        if (magic[0] if magic else "") not in _PYTHON_CELL_MAGICS:
            return ["" for _ in lines]
        head += 1
    if head:
        lines = [*(["pass"] + [""] * (head - 1)), *lines[head:]]
    elif len(lines) > 1 and _databricks_language(lines[0]):
        return ["" for _ in lines]
    out = []
    continued = False
    depth = 0
    code_depth = 0  # brackets left open by Python lines: a `%` there is the modulo operator
    for line in lines:
        if continued or depth > 0:  # the rest of a masked magic: a backslash or an open bracket
            out.append("")
            continued = line.rstrip().endswith("\\")
            depth = max(0, depth + _open_brackets(line))
            continue
        if code_depth > 0 and line[:1].isspace() and line.lstrip().startswith("%"):
            out.append(line)  # `print(\n    'x %d'\n    % (i,)\n)`: an operand, not a line magic
            code_depth = max(0, code_depth + _open_brackets(line))
            continue
        masked = _mask_line(line)
        if masked is not line:
            continued = line.rstrip().endswith("\\")
            depth = max(0, _open_brackets(line))
        elif line.strip():
            if not line[:1].isspace() and not line.startswith((")", "]", "}")):
                code_depth = 0  # a new top-level statement (resynchronises after a rough string scan)
            code_depth = max(0, code_depth + _open_brackets(line))
        out.append(masked)
    return out


_SYNTAX_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})


def _shows_syntax_error(cell: dict[str, object]) -> bool:
    """The cell's saved outputs hold a syntax-error traceback (``output_type`` ``error``)."""
    outputs = cell.get("outputs")
    return isinstance(outputs, list) and any(
        isinstance(o, dict) and o.get("output_type") == "error" and o.get("ename") in _SYNTAX_ERRORS
        for o in outputs
    )


def _syntax_error_line(lines: list[str]) -> int | None:
    """The 1-based line of the cell's syntax error (None: it parses)."""
    try:
        ast.parse("\n".join(lines) + "\n")
    except SyntaxError as exc:
        return exc.lineno or 1
    except (ValueError, RecursionError, MemoryError):
        return 1
    return None


# Tags that declare a cell's failure expected: nbval, nbsphinx and Jupyter Book run notebooks and accept
# an error from a cell tagged so (tutorials demonstrating a `SyntaxError`); `skip-execution` is never run.
_FAILURE_TAGS = frozenset({"raises-exception", "nbval-raises-exception", "skip-execution", "nbval-skip"})


def _tagged_to_fail(cell: dict[str, object]) -> bool:
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return isinstance(tags, list) and any(isinstance(t, str) and t in _FAILURE_TAGS for t in tags)


def _intended_failure(cell: dict[str, object], lines: list[str]) -> bool:
    """A cell written to fail: its stored output is the ``SyntaxError`` it raises, it is tagged as
    expected to fail, or it is an exercise's blank for the student to fill (``criterion = # TODO``), and
    it still does not parse. Teaching material, not a file mlaudit cannot read. A cell fixed since its
    output was saved is analysed."""
    line = _syntax_error_line(lines)
    if line is None:
        return False
    return _tagged_to_fail(cell) or _shows_syntax_error(cell) or is_exercise_blank(lines, line)


# An assignment left for the student (`ps = `, `model = # TODO ...`, `one_hot_data = pass`) and the
# markers of a gap to fill (`# TODO`, `########## TO DO ##########`, `# YOUR CODE HERE`).
_EMPTY_ASSIGNMENT = re.compile(r"^\s*[\w.\[\]'\", ]+?\s*=\s*(?:pass\s*)?(?:#.*)?$")
_GAP_MARKER = re.compile(r"\bTO ?DO\b|\bYOUR CODE\b|\bFILL (?:IN|ME)\b|\bWRITE YOUR\b", re.IGNORECASE)


def is_exercise_blank(lines: list[str], error_line: int) -> bool:
    """The syntax error at ``error_line`` (1-based) is an exercise's gap: an empty assignment there, a
    block whose body is only comments (``def real_mse_loss(D_out):`` over ``# how close ...``), or a gap
    marker on it or on one of the five lines above (an empty block under ``# TO DO``)."""
    at = lines[error_line - 1] if 0 < error_line <= len(lines) else ""
    if _EMPTY_ASSIGNMENT.match(at) or _commented_empty_block(lines, error_line):
        return True
    return any(_GAP_MARKER.search(line) for line in lines[max(0, error_line - 6) : error_line])


def is_excerpt(lines: list[str], error_line: int) -> bool:
    """The syntax error is the file's first statement, indented: an excerpt cut out of a class or a
    function (lecture notes keeping ``  def testGetter(self):`` from another project), not a module
    anyone runs or imports."""
    first = next((i for i, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")), 0)
    return first == error_line and lines[first - 1][:1] in (" ", "\t")


def _commented_empty_block(lines: list[str], error_line: int) -> bool:
    """The lines just above ``error_line`` are comments (and blanks) under a block header ending in ``:``,
    and the error line does not continue that block (it is not indented deeper than the header)."""
    at = lines[error_line - 1] if 0 < error_line <= len(lines) else ""
    comments = 0
    for line in reversed(lines[: max(0, error_line - 1)]):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            comments += 1
            continue
        deeper = bool(at.strip()) and _indent(at) > _indent(line)
        return comments > 0 and stripped.endswith(":") and not deeper
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _cell_lines(cell: dict[str, object], index: int) -> list[str]:
    source = cell.get("source", "")
    if isinstance(source, list):
        if not all(isinstance(s, str) for s in source):
            raise SourceError(f"cell {index}: `source` must be a string or a list of strings", cell=index)
        text = "".join(source)
    elif isinstance(source, str):
        text = source
    else:
        raise SourceError(f"cell {index}: `source` must be a string or a list of strings", cell=index)
    return split_lines(text)


def _parse_json(data: bytes) -> object:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"notebook is not UTF-8: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"notebook is not valid JSON: {exc.msg}", line=exc.lineno, col=exc.colno) from None
    except (ValueError, RecursionError) as exc:  # integers past the digit limit, absurd nesting
        raise SourceError(f"notebook cannot be decoded: {exc}") from None


def _language(nb: dict[str, object]) -> str:
    """The notebook's language: ``language_info``'s, unless the kernel is a Python one (VS Code may
    leave ``language_info: plaintext`` on a notebook that runs on a Python kernel)."""
    metadata = nb.get("metadata")
    if not isinstance(metadata, dict):
        return "python"
    kernel = metadata.get("kernelspec")
    if isinstance(kernel, dict) and (
        str(kernel.get("language", "")).lower() == "python" or str(kernel.get("name", "")).lower().startswith("python")
    ):
        return "python"
    info = metadata.get("language_info")
    return str(info.get("name", "python") if isinstance(info, dict) else "python").lower()


def _load_notebook(data: bytes) -> list[object]:
    """The ``cells`` of nbformat >= 4 JSON; anything else is a clear ``SourceError``."""
    nb = _parse_json(data)
    if not isinstance(nb, dict):
        raise SourceError("notebook JSON must be an object")
    nbformat = nb.get("nbformat")
    if not isinstance(nbformat, int) or nbformat < 4:
        raise SourceError(f"unsupported notebook format {nbformat!r}: nbformat 4 or newer is required")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise SourceError("notebook has no `cells` list")
    language = _language(nb)
    if language not in ("python", "python3", "ipython", ""):
        raise SourceError(f"notebook language is {language!r}, not Python")
    return cells


def notebook_to_source(data: bytes) -> Source:
    """Turn ``.ipynb`` JSON (nbformat 4) into one virtual module and its cell map."""
    lines: list[str] = []
    starts: list[CellStart] = []
    for i, cell in enumerate(_load_notebook(data), start=1):
        if not isinstance(cell, dict):
            raise SourceError(f"cell {i} is not an object", cell=i)
        if cell.get("cell_type") != "code":
            continue
        starts.append(CellStart(line=len(lines) + 1, cell=i))
        masked = mask_cell(_cell_lines(cell, i))
        lines.extend(["" for _ in masked] if _intended_failure(cell, masked) else masked)
        lines.append("")  # a blank separator line keeps a cell's last statement apart from the next
    return Source(text="\n".join(lines) + "\n" if lines else "", map=SourceMap(starts))


_DATABRICKS_HEADER = re.compile(r"\A# Databricks notebook source[ \t]*(?:\r\n|\r|\n|\Z)")
_DATABRICKS_CELL = re.compile(r"^# COMMAND -{10,}[ \t]*$")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def is_databricks_source(text: str) -> bool:
    """A Databricks notebook exported as ``.py`` (its first line ``# Databricks notebook source``): run
    cell by cell (``# COMMAND ----------``) by the notebook's IPython kernel, not imported as a module."""
    return _DATABRICKS_HEADER.match(text) is not None


def mask_databricks_source(text: str) -> str:
    """A Databricks notebook source with each cell's IPython syntax (``!pip install``, ``%pip``) masked
    by ``mask_cell``, line for line and with the file's own line endings, so positions hold. Its
    ``# MAGIC`` lines are comments already. A cell's stray leading indent is not dedented: the file is
    also the Python source the workspace editor and repository show, and that indent is a typo there."""
    pieces = _LINE_BREAK.split(text)
    lines, breaks = pieces[0::2], [*pieces[1::2], ""]
    out: list[str] = []
    cell: list[str] = []
    for line in lines:
        if _DATABRICKS_CELL.match(line):
            out.extend(mask_cell(cell, dedent=False))
            out.append(line)
            cell = []
        else:
            cell.append(line)
    out.extend(mask_cell(cell, dedent=False))
    return "".join(line + brk for line, brk in zip(out, breaks, strict=True))


def for_analysis(source: Source, *, notebook: bool) -> Source:
    """The text mlaudit analyses: ``read_source``'s, with a Databricks notebook source's IPython syntax
    masked as a notebook's is. Editing and showing code (fixes, suppressions) keep ``read_source``'s
    text, so a masked line is never written back."""
    if not notebook and is_databricks_source(source.text):
        return Source(text=mask_databricks_source(source.text), map=source.map)
    return source


def read_source(data: bytes, *, notebook: bool) -> Source:
    if notebook:
        return notebook_to_source(data)
    return Source(text=decode_python(data), map=SourceMap())
