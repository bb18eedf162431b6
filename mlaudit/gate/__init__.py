"""The CI gate: what happens to a ``Report`` between ``api.check()`` and the terminal.

- ``prepare()`` validates everything that can fail *before* the (possibly long) analysis: extra report
  targets (``--report FORMAT:PATH``), the baseline file, the git state for ``--diff-base``.
- ``apply()`` filters the report: baseline (``--baseline``/config ``baseline``; ``--write-baseline``
  creates or shrinks it), then ``--diff-base`` (findings already present at a git ref).
- ``complete_context()`` gives the renderers what the code-host formats need (rule metadata with the
  catalogue README, the repository root, notebook line positions); ``write_reports()`` writes the extra
  reports and the GitHub step summary.
- ``add_ignores()`` runs ``--add-ignore``.

One module per concern: ``options`` (``GateOptions``, ``CiSettings``, the ``Plan``), ``steps``
(``prepare``/``apply``: their order), ``baselines`` and ``diff_base`` (each step's two halves, before and
after the analysis), ``render`` (the code-host formats' context, extra reports) and ``add_ignore``.
Everything is re-exported here: callers import ``mlaudit.gate``.

Nothing here prints or exits: messages for stderr are collected in ``Plan.messages`` and errors are
``GateError`` (an ``api.UsageError``: the CLI prints it and exits 2).
"""

from __future__ import annotations

from mlaudit.gate.add_ignore import DEFAULT_LINE_LENGTH, add_ignores, line_length
from mlaudit.gate.options import CiSettings, GateError, GateOptions, Plan, ReportTarget
from mlaudit.gate.render import (
    complete_context,
    formats_used,
    repository_root,
    rule_metadata,
    statistics,
    write_reports,
)
from mlaudit.gate.steps import apply, parse_report, prepare

__all__ = [
    "DEFAULT_LINE_LENGTH",
    "CiSettings",
    "GateError",
    "GateOptions",
    "Plan",
    "ReportTarget",
    "add_ignores",
    "apply",
    "complete_context",
    "formats_used",
    "line_length",
    "parse_report",
    "prepare",
    "repository_root",
    "rule_metadata",
    "statistics",
    "write_reports",
]
