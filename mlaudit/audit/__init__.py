"""``mlaudit audit``: the repository scorecard (``../shared/design/audit.md``).

``run_audit`` runs ``check``'s analysis once (same cache, plus the ``audit`` facts), gathers a few
file-system facts at the edge (``files``), runs the checks (pure functions, ``checks``) and scores them.
The renderers (``render_*``) turn the ``AuditReport`` into text, Markdown, JSON or one HTML file.
"""

from __future__ import annotations

from mlaudit.audit.run import AuditError, AuditRun, run_audit

__all__ = ["AuditError", "AuditRun", "run_audit"]
