"""Parsing one file's text with libcst, safely: CPython's verdict on deep nesting first, libcst's native
parser on a thread with a large stack, and a user-facing message (and position) for a parse failure,
Jinja/cookiecutter templates told apart from broken Python."""

from __future__ import annotations

import ast
import os
import queue
import re
import threading
from typing import Any

import libcst as cst

from mlaudit.engine.positions import first_lines
from mlaudit.engine.results import FileErrorInfo
from mlaudit.facts.model import Span


def parse_error(exc: Exception, text: str = "") -> tuple[str, Span]:
    """A user-facing message for a parse failure. CPython's own message and position are clearer
    than libcst's, so on failure (only then) the text is compiled with ``ast`` for the diagnosis."""
    if isinstance(exc, cst.ParserSyntaxError):
        try:
            ast.parse(text)
        except SyntaxError as syn:
            line, col = syn.lineno or 1, syn.offset or 1
            return f"syntax error: {syn.msg}", Span(line, col, line, col + 1)
        except (ValueError, RecursionError, MemoryError):
            pass
        else:
            line, col = exc.raw_line, exc.raw_column + 1
            detail = str(exc.message).split(": ", 1)[-1].splitlines()[0]
            return (
                f"syntax not supported by mlaudit's parser (libcst) for this Python version: {detail}",
                Span(line, col, line, col + 1),
            )
        line, col = exc.raw_line, exc.raw_column + 1
        return "syntax error: invalid syntax", Span(line, col, line, col + 1)
    if isinstance(exc, RecursionError):
        return "cannot analyse: code is nested too deeply for the parser", Span(1, 1, 1, 1)
    return f"cannot parse: {type(exc).__name__}: {exc}", Span(1, 1, 1, 1)


_TEMPLATE_MARKS = re.compile(r"\{\{\s*[\w.]+.*?\}\}|\{%-?\s*(?:if|for|raw|set|block)\b")


def is_template(rel: str, text: str) -> bool:
    """A file that does not parse and is a Jinja/cookiecutter template (template syntax in its text or
    a ``{{ ... }}`` folder in its path): not Python until rendered, so not a parse error to report."""
    return "{{" in rel or _TEMPLATE_MARKS.search(text[:100_000]) is not None


def cpython_check(text: str) -> tuple[FileErrorInfo | None, tuple[int, ...] | None]:
    """CPython's verdict on deep nesting, asked before libcst parses. libcst's native parser recurses on
    the C stack and is superlinear on deep nesting (10,000 chained unary operators crash the process;
    3,000 nested calls or 50,000 chained lambdas take minutes and gigabytes, in native code that the
    ``timeout`` setting cannot interrupt). ``ast.parse`` costs a tenth of libcst's parse and fails fast
    and safely on such code, which no Python can run anyway. Any other syntax error is left to libcst
    (it may be syntax newer than this interpreter's).

    With no error, also the first line of each module-level statement when CPython parsed the text
    (``engine.positions`` generates positions statement by statement from them); None otherwise."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        if "too many nested parentheses" in str(exc.msg):
            line, col = exc.lineno or 1, exc.offset or 1
            return FileErrorInfo(f"syntax error: {exc.msg}", Span(line, col, line, col + 1)), None
        return None, None
    except (RecursionError, MemoryError):  # CPython's parser stack limit, not an exhausted machine
        return FileErrorInfo(
            "cannot analyse: code is nested too deeply (Python's own parser refuses it too)", Span(1, 1, 1, 1)
        ), None
    except ValueError:  # NUL bytes (Python < 3.12); libcst decides
        return None, None
    return None, first_lines(tree)


PARSER_STACK = 512 * 2**20
"""Stack of the parser thread (address space; only the pages used are committed)."""


class _ParserThread:
    """libcst's native parser runs on one long-lived thread per process with a large stack. It uses
    about 1 KB of C stack per nesting level, and code that CPython's parser keeps flat (``a and b and
    ...`` over 10,000 terms) passes ``cpython_check`` but overflows the usual 8 MB: a segmentation
    fault would end the whole run, not just this file.

    The caller waits on an ``Event``, never on ``Thread.join``: on Python 3.11 a join interrupted by a
    signal (the ``timeout`` alarm) releases the lock of a thread that is still running, and the
    process aborts (SIGABRT) when that thread ends. One thread for the process's lifetime also means
    no thread ever ends while the interpreter shuts down."""

    def __init__(self) -> None:
        self.pid = -1
        self.requests: queue.SimpleQueue[tuple[str, list[Any], threading.Event]] | None = None

    def parse(self, text: str) -> cst.Module:
        if self.pid != os.getpid():  # first use in this process (a forked pool worker has no thread)
            self.pid, self.requests = os.getpid(), self._start()
        if self.requests is None:  # no thread could be started: parse on this stack
            return cst.parse_module(text)
        box: list[Any] = []
        done = threading.Event()
        self.requests.put((text, box, done))
        try:
            done.wait()
        except BaseException:  # the time limit (or Ctrl-C): native parsing cannot be stopped; wait, go on
            _wait_through(done)
            raise
        if isinstance(box[0], BaseException):
            raise box[0]
        module: cst.Module = box[0]
        return module

    @staticmethod
    def _start() -> queue.SimpleQueue[tuple[str, list[Any], threading.Event]] | None:
        requests: queue.SimpleQueue[tuple[str, list[Any], threading.Event]] = queue.SimpleQueue()
        try:
            previous = threading.stack_size(PARSER_STACK)
        except (ValueError, RuntimeError):  # platform without settable thread stacks
            return None
        try:
            threading.Thread(target=_serve, args=(requests,), name="mlaudit-parser", daemon=True).start()
        except RuntimeError:  # address space too tight for the stack
            return None
        finally:
            threading.stack_size(previous)
        return requests


def _wait_through(done: threading.Event) -> None:
    """Wait for the parser whatever signal handlers raise meanwhile (the time limit repeats)."""
    while True:
        try:
            done.wait()
            return
        except BaseException:
            continue


def _serve(requests: queue.SimpleQueue[tuple[str, list[Any], threading.Event]]) -> None:
    while True:
        text, box, done = requests.get()
        try:
            box.append(cst.parse_module(text))
        except BaseException as exc:  # re-raised in the calling thread
            box.append(exc)
        done.set()
        del text, box, done  # hold no tree between files


_PARSER = _ParserThread()


def parse(text: str) -> cst.Module:
    return _PARSER.parse(text)
