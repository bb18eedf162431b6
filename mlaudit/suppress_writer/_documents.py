"""Documents ``--add-ignore`` edits: a .py file or a notebook's code cells, as editable units of lines."""

from __future__ import annotations

import io
import json
import re
import tokenize
from typing import Any

from mlaudit.engine.source import read_source, split_lines
from mlaudit.model import Finding

NEWLINE = re.compile(r"\r\n|\r|\n")


class Doc:
    """Units of physical lines (a .py file: one unit; a notebook: one per code cell) and the
    virtual module text the engine analyses, with a map between virtual lines and (unit, index)."""

    units: dict[int, list[str]]
    """Lines without their line endings."""

    def virtual(self, unit: int, index: int) -> int:
        raise NotImplementedError

    def locate(self, line: int) -> tuple[int, int] | None:
        raise NotImplementedError

    def finding_line(self, f: Finding) -> int | None:
        raise NotImplementedError

    def render(self, units: dict[int, list[str]]) -> bytes:
        raise NotImplementedError


class PyDoc(Doc):
    def __init__(self, data: bytes) -> None:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        self.bom = data.startswith(b"\xef\xbb\xbf")
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        text = data.decode(self.encoding).removeprefix("\ufeff")
        pieces = NEWLINE.split(text)
        self.trailing_newline = pieces[-1] == ""
        if self.trailing_newline:
            pieces.pop()
        found = NEWLINE.search(text)
        self.newline = found.group(0) if found else "\n"
        self.units = {0: pieces}

    def virtual(self, unit: int, index: int) -> int:
        return index + 1

    def locate(self, line: int) -> tuple[int, int] | None:
        return (0, line - 1) if 0 < line <= len(self.units[0]) else None

    def finding_line(self, f: Finding) -> int | None:
        return f.location.row

    def render(self, units: dict[int, list[str]]) -> bytes:
        text = self.newline.join(units[0]) + (self.newline if self.trailing_newline else "")
        data = text.encode(self.encoding)
        return (b"\xef\xbb\xbf" + data) if self.bom else data


class NotebookDoc(Doc):
    def __init__(self, data: bytes) -> None:
        raw = data.decode("utf-8-sig")
        self.nb: dict[str, Any] = json.loads(raw)
        self.indent = _json_indent(raw)
        self.trailing_newline = raw.endswith("\n")
        self.units = {}
        self.as_string: set[int] = set()
        for i, cell in enumerate(self.nb.get("cells", []), start=1):
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                if isinstance(source, str):
                    self.as_string.add(i)
                text = source if isinstance(source, str) else "".join(source)
                self.units[i] = split_lines(text)  # the engine's own split (source.py)
        self.starts = {c.cell: c.line for c in read_source(data, notebook=True).map.cells}

    def virtual(self, unit: int, index: int) -> int:
        return self.starts[unit] + index

    def locate(self, line: int) -> tuple[int, int] | None:
        for unit, start in sorted(self.starts.items(), key=lambda p: p[1], reverse=True):
            if line >= start:
                index = line - start
                return (unit, index) if index < len(self.units[unit]) else None
        return None

    def finding_line(self, f: Finding) -> int | None:
        if f.cell is None or f.cell not in self.starts:
            return None
        return self.starts[f.cell] + f.location.row - 1

    def render(self, units: dict[int, list[str]]) -> bytes:
        nb = json.loads(json.dumps(self.nb))
        for i, cell in enumerate(nb.get("cells", []), start=1):
            if i in units and units[i] != self.units[i]:
                text = "\n".join(units[i])
                original = self.nb["cells"][i - 1].get("source", "")
                original_text = original if isinstance(original, str) else "".join(original)
                if original_text.endswith("\n"):
                    text += "\n"
                cell["source"] = text if i in self.as_string else text.splitlines(keepends=True)
        out = json.dumps(nb, indent=self.indent, ensure_ascii=False)
        return (out + ("\n" if self.trailing_newline else "")).encode("utf-8")


def _json_indent(raw: str) -> int | None:
    m = re.search(r"\n( +)\S", raw)
    return len(m.group(1)) if m else None
