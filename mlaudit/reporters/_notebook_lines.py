"""Where a notebook cell's source lines sit in the ``.ipynb`` file: the position code hosts can show for
a notebook finding (``RenderContext.notebook_line``; the finding's cell and row go into the message).

A small scanner over the JSON text: only ``cells[i].source`` is walked, everything else is skipped
with the C decoder (outputs can be megabytes).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any


def notebook_source_lines(text: str) -> dict[int, list[int]]:
    """For each cell (1-based over all cells) the line of the ``.ipynb`` file holding each of its
    source lines."""
    scanner = _JsonScanner(text)
    result: dict[int, list[int]] = {}
    for key in scanner.members():
        if key == "cells":
            result.update(_cells_source_lines(scanner))
        else:
            scanner.skip_value()
    return result


def _cells_source_lines(scanner: _JsonScanner) -> dict[int, list[int]]:
    """``notebook_source_lines`` of the ``cells`` array at the scanner's position."""
    result: dict[int, list[int]] = {}
    for index, _ in enumerate(scanner.elements(), start=1):
        if scanner.peek() != "{":
            scanner.skip_value()
            continue
        for key in scanner.members():
            if key == "source":
                result[index] = _source_lines(scanner)
            else:
                scanner.skip_value()
    return result


def _source_lines(scanner: _JsonScanner) -> list[int]:
    """The file line of each line of a cell's ``source``: one string, or a list of strings."""
    if scanner.peek() != "[":
        return scanner.string_lines()
    rows: list[int] = []
    for _ in scanner.elements():
        rows += scanner.string_lines()
    return rows


class _JsonScanner:
    """A cursor over JSON text: objects and arrays are walked one member at a time, any value can be
    skipped (or read) whole with the C decoder. Malformed or truncated JSON raises ValueError."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._decoder = json.JSONDecoder()
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_at(self, pos: int) -> int:
        """The 1-based line of offset ``pos``."""
        return bisect_right(self._newlines, pos - 1) + 1

    def ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def peek(self) -> str:
        """The next character after whitespace (not consumed)."""
        self.ws()
        if self.pos >= len(self.text):
            raise ValueError("unexpected end of notebook JSON")
        return self.text[self.pos]

    def expect(self, ch: str) -> None:
        self.ws()
        if self.pos >= len(self.text) or self.text[self.pos] != ch:
            raise ValueError(f"expected {ch!r} at {self.pos}")
        self.pos += 1

    def _next_is(self, ch: str) -> bool:
        """Consume ``ch`` if it comes next (after whitespace)."""
        if self.peek() != ch:
            return False
        self.pos += 1
        return True

    def skip_value(self) -> Any:
        self.ws()
        value, self.pos = self._decoder.raw_decode(self.text, self.pos)
        return value

    def read_string(self) -> tuple[str, int]:
        """A string value and its start offset."""
        self.ws()
        start = self.pos
        value = self.skip_value()
        if not isinstance(value, str):
            raise ValueError("string expected")
        return value, start

    def string_lines(self) -> list[int]:
        """Read a string value: the line where it starts, once per line of its text (at least once)."""
        value, start = self.read_string()
        return [self.line_at(start)] * max(1, len(value.splitlines()))

    def members(self) -> Iterator[str]:
        """Yield the keys of the object at ``pos`` (the value must be consumed by the caller)."""
        self.expect("{")
        if self._next_is("}"):
            return
        while True:
            key, _ = self.read_string()
            self.expect(":")
            yield key
            if not self._next_is(","):
                self.expect("}")
                return

    def elements(self) -> Iterator[None]:
        """Yield once per element of the array at ``pos`` (the element must be consumed by the caller)."""
        self.expect("[")
        if self._next_is("]"):
            return
        while True:
            yield None
            if not self._next_is(","):
                self.expect("]")
                return
