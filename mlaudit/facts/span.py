"""``Span``: where a finding, a fact or a directive is, in virtual module coordinates (1-based lines
and columns of the parsed text; for a notebook, its code cells concatenated). Its own module, re-exported
by ``mlaudit.facts.model``: the engine's libcst-free half (findings, suppressions, results) needs only
this record, and a warm run served from the cache then never builds the fact records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    col: int
    end_line: int
    end_col: int
