"""Probe rules for the time-limit tests (not collected: not named ``test_*``)."""

from __future__ import annotations

import contextlib
import time

import libcst as cst

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, FileRule
from mlaudit.model import Severity


class Spinning(FileRule):
    """A rule stuck in an endless loop on files that mention ``spin``."""

    code = "XRB001"
    name = "spinning-rule"
    category = "meta"
    severity = Severity.WARNING
    message = "never finishes"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "spin":
            while True:
                pass


class Swallowing(FileRule):
    """A rule that swallows everything once (``except BaseException``), then dawdles for 5 s."""

    code = "XRB002"
    name = "swallowing-rule"
    category = "meta"
    severity = Severity.WARNING
    message = "swallows the alarm"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "dawdle":
            with contextlib.suppress(BaseException):  # the careless part
                time.sleep(5)
            time.sleep(5)
