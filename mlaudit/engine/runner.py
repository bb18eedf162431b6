"""Analyse one file: read, decode, parse ONCE with libcst, run every applicable file rule and fact
extractor in ONE batched traversal, and return plain data (no CST node leaves this module).

Errors are data: an unreadable, undecodable or unparsable file gives ``FileResult.error``; a crash in
one rule is recorded for that rule and the other rules' findings are kept.
"""

from __future__ import annotations

import ast
import hashlib
import os
import queue
import re
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper

from mlaudit.engine import suppressions as sup
from mlaudit.engine.context import FileContext, ScopeEnter, ScopeLeave
from mlaudit.engine.discovery import SourceFile
from mlaudit.engine.generated import GENERATED, is_generated
from mlaudit.engine.results import (
    FileErrorInfo,
    FileResult,
    RuleCrash,
    RunPlan,
    _error_result,
    _too_large,
    read_file,
)
from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, FactExtractor, FileRule
from mlaudit.engine.source import SourceError, for_analysis, read_source
from mlaudit.facts.model import FileFacts, Span
from mlaudit.facts.names import ModuleNames
from mlaudit.project.programs import declares_dependencies


def role_class(roles: frozenset[str]) -> str:
    if TEST in roles:
        return TEST
    if EXPERIMENT in roles:
        return EXPERIMENT
    return PRODUCTION


@cache
def _visitor_names(cls: type) -> tuple[str, ...]:
    return tuple(
        name
        for name in dir(cls)
        if (name.startswith("visit_") or name.startswith("leave_"))
        and callable(getattr(cls, name))
        and not getattr(getattr(cls, name), "_is_no_op", False)
    )


class _Guard:
    """Wraps a rule's visitor methods so an exception disables that rule for this file only."""

    def __init__(self, visitor: cst.BatchableCSTVisitor) -> None:
        self.visitor = visitor
        self.crash: BaseException | None = None
        self.detail = ""

    def methods(self) -> dict[str, Callable[[cst.CSTNode], None]]:
        out = {}
        for name in _visitor_names(type(self.visitor)):
            out[name] = self._wrap(getattr(self.visitor, name))
        return out

    def _wrap(self, method: Callable[[cst.CSTNode], Any]) -> Callable[[cst.CSTNode], None]:
        def guarded(node: cst.CSTNode) -> None:
            if self.crash is not None:
                return
            try:
                method(node)
            except RecursionError as exc:
                self.crash = exc
            except Exception as exc:  # a rule bug must not lose the other rules' findings
                self.crash = exc
                self.detail = traceback.format_exc()

        return guarded


class _Batch(cst.BatchableCSTVisitor):
    """One visitor presenting the guarded methods of many, in batch order."""

    def __init__(self, visitors: Sequence[cst.BatchableCSTVisitor], guards: Sequence[_Guard]) -> None:
        super().__init__()
        methods: dict[str, list[Callable[[cst.CSTNode], None]]] = {}
        guard_of = {id(g.visitor): g for g in guards}
        for v in visitors:
            g = guard_of.get(id(v))
            items = g.methods() if g else {n: getattr(v, n) for n in _visitor_names(type(v))}
            for name, fn in items.items():
                methods.setdefault(name, []).append(fn)
        self._dispatch = {n: fns[0] if len(fns) == 1 else _chain(tuple(fns)) for n, fns in methods.items()}

    def get_visitors(self) -> Mapping[str, Callable[[cst.CSTNode], None]]:
        return self._dispatch


def _chain(fns: tuple[Callable[[cst.CSTNode], None], ...]) -> Callable[[cst.CSTNode], None]:
    def call_all(node: cst.CSTNode) -> None:
        for fn in fns:
            fn(node)

    return call_all


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


def _nesting_error(text: str) -> FileErrorInfo | None:
    """CPython's verdict on deep nesting, asked before libcst parses. libcst's native parser recurses on
    the C stack and is superlinear on deep nesting (10,000 chained unary operators crash the process;
    3,000 nested calls or 50,000 chained lambdas take minutes and gigabytes, in native code that the
    ``timeout`` setting cannot interrupt). ``ast.parse`` costs a tenth of libcst's parse and fails fast
    and safely on such code, which no Python can run anyway. Any other syntax error is left to libcst
    (it may be syntax newer than this interpreter's)."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        if "too many nested parentheses" in str(exc.msg):
            line, col = exc.lineno or 1, exc.offset or 1
            return FileErrorInfo(f"syntax error: {exc.msg}", Span(line, col, line, col + 1))
    except (RecursionError, MemoryError):  # CPython's parser stack limit, not an exhausted machine
        return FileErrorInfo(
            "cannot analyse: code is nested too deeply (Python's own parser refuses it too)", Span(1, 1, 1, 1)
        )
    except ValueError:  # NUL bytes (Python < 3.12); libcst decides
        pass
    return None


PARSER_STACK = 512 * 2**20
"""Stack of the parser thread (address space; only the pages used are committed)."""


class _ParserThread:
    """libcst's native parser runs on one long-lived thread per process with a large stack. It uses
    about 1 KB of C stack per nesting level, and code that CPython's parser keeps flat (``a and b and
    ...`` over 10,000 terms) passes ``_nesting_error`` but overflows the usual 8 MB: a segmentation
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


def _parse(text: str) -> cst.Module:
    return _PARSER.parse(text)


def describe(exc: BaseException, limit: int = 300) -> str:
    """``Type: message`` of an internal error, cut short: a ``KeyError`` on a CST node would print the
    node's whole subtree (megabytes for a long function) into the report."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Timeout(BaseException):
    """Derives from BaseException so that no rule guard or parser handler swallows it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Callable[[], bool]]:
    """Abort the analysis of one file after ``seconds`` (SIGALRM; main thread of a process only)."""
    expired = False
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield lambda: False
        return

    def on_alarm(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise Timeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Repeat every 0.1 s until disarmed: Python code run from C (a __del__, a gc callback) reports an
    # exception raised in it as "ignored" and carries on, so one alarm alone can be swallowed.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)  # type: ignore[arg-type]
    try:
        yield lambda: expired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def analyze(job: SourceFile, plan: RunPlan, *, data: bytes | None = None) -> FileResult:
    """Analyse one file (its bytes may be passed in when the caller already read them)."""
    if data is None:
        data, failed = read_file(job, plan.settings.max_file_size)
        if failed is not None:
            return failed
    try:
        with warnings.catch_warnings():
            # CPython's warnings about the audited code (ast.parse: "invalid escape sequence", "invalid
            # decimal literal") are not mlaudit's to print: they reached stderr as "<unknown>:3: ...".
            warnings.simplefilter("ignore")
            return _analyze(job, plan, data)
    except Timeout:
        return timed_out(job, plan)
    except Exception as exc:  # an engine bug on one file is an internal error for that file, not the run
        return FileResult(
            rel=job.rel,
            module=job.module,
            crashes=[RuleCrash("engine", describe(exc), traceback.format_exc())],
        )


def timed_out(job: SourceFile, plan: RunPlan) -> FileResult:
    """The error result of a file whose analysis hit the ``timeout`` setting."""
    limit = plan.settings.timeout or 0
    return _error_result(job, f"analysis exceeded the time limit of {limit:g} s (`timeout` setting)")


def _analyze(job: SourceFile, plan: RunPlan, data: bytes) -> FileResult:
    digest = hashlib.sha256(data).hexdigest()
    try:
        source = for_analysis(read_source(data, notebook=job.is_notebook), notebook=job.is_notebook)
    except SourceError as exc:
        return FileResult(
            rel=job.rel,
            module=job.module,
            digest=digest,
            error=FileErrorInfo(exc.message, Span(exc.line, exc.col, exc.line, exc.col + 1)),
        )
    too_large = _too_large(job, len(source.text), plan.settings.max_file_size)
    if too_large is not None:
        too_large.digest = digest
        return too_large
    result = FileResult(rel=job.rel, module=job.module, digest=digest, cells=list(source.map.cells))
    result.error = _nesting_error(source.text)
    if result.error is not None:
        return result
    try:
        module = _parse(source.text)
    except Exception as exc:  # ParserSyntaxError, RecursionError, parser panics on exotic input
        message, span = parse_error(exc, source.text)
        result.error = FileErrorInfo(message, span, template=is_template(job.rel, source.text))
        return result
    try:
        _run_visitors(job, plan, source.text, module, result)
    except RecursionError:
        result.error = FileErrorInfo("cannot analyse: code is nested too deeply", Span(1, 1, 1, 1))
        result.findings = []
        result.facts = None
    result.suppressions = sup.parse(source.text, lambda key: plan.rule_keys.get(key.lower()))
    return result


def _roles(job: SourceFile, text: str) -> frozenset[str]:
    """The path's roles, and ``experiment`` for generated code (``mlaudit.engine.generated``), marked
    ``generated`` too: importing it (a ``_pb2`` module, a versioneer ``_version.py``) is not importing an
    experiment (MLA403)."""
    return job.roles | {EXPERIMENT, GENERATED} if is_generated(text) else job.roles


def _context(
    job: SourceFile, plan: RunPlan, text: str, module: cst.Module, result: FileResult
) -> FileContext:
    roles = _roles(job, text)
    ctx = FileContext(
        path=job.rel,
        module=job.module,
        roles=roles,
        settings=plan.settings,
        text=text,
        wrapper=MetadataWrapper(module, unsafe_skip_copy=True),
        names=ModuleNames(module, job.module, job.is_package),
        is_package=job.is_package,
        is_notebook=job.is_notebook,
        cells=tuple(result.cells),
    )
    if plan.extractors:
        ctx.facts = FileFacts(
            module=job.module,
            path=job.rel,
            roles=tuple(sorted(roles)),
            is_package=job.is_package,
            is_notebook=job.is_notebook,
            program=job.program,
            mirror=job.mirror,
            standalone=declares_dependencies(text),
        )
    return ctx


def _applicable_rules(plan: RunPlan, ctx: FileContext) -> list[FileRule]:
    """Rules for this file's role class whose import gate (``requires_imports``) the file passes."""
    klass = role_class(ctx.roles)
    imported = ctx.names.imported_packages()
    return [
        rule_cls(ctx, options)
        for rule_cls, options in plan.file_rules
        if klass in rule_cls.applies_to
        and (not rule_cls.requires_imports or rule_cls.requires_imports & imported)
    ]


def _traverse(
    ctx: FileContext, visitors: Sequence[cst.BatchableCSTVisitor], guards: Sequence[_Guard]
) -> None:
    """One batched pass: the scope tracker first and last, every rule and extractor in between."""
    batch = _Batch([ScopeEnter(ctx), *visitors, ScopeLeave(ctx)], guards)
    with _resolve_all(ctx.wrapper, visitors):
        cst.visit_batched(ctx.wrapper.module, [batch])


@contextmanager
def _deep_recursion() -> Iterator[None]:
    """Deeply nested code (500 levels) is valid Python: let the traversal and the extractors' own
    ``ast`` visitors (``finish``) recurse further than the interpreter's default 1000 frames."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def _finish(extractor: FactExtractor, guard: _Guard) -> None:
    if guard.crash is not None:
        return
    try:
        extractor.finish()
    except Exception as exc:
        guard.crash = exc
        guard.detail = traceback.format_exc()


def _crash(name: str, guard: _Guard) -> RuleCrash:
    assert guard.crash is not None
    return RuleCrash(name, describe(guard.crash), guard.detail)


def _collect(
    result: FileResult, rules: list[FileRule], extractors: list[FactExtractor], guards: list[_Guard]
) -> None:
    """Findings of the rules that did not crash; a crash record for each visitor that did."""
    for visitor, guard in zip([*rules, *extractors], guards, strict=True):
        if guard.crash is not None:
            name = visitor.code if isinstance(visitor, FileRule) else type(visitor).__name__
            result.crashes.append(_crash(name, guard))
        elif isinstance(visitor, FileRule):
            result.findings.extend(visitor.findings)


def _run_visitors(job: SourceFile, plan: RunPlan, text: str, module: cst.Module, result: FileResult) -> None:
    ctx = _context(job, plan, text, module, result)
    rules = _applicable_rules(plan, ctx)
    extractors = [x(ctx) for x in plan.extractors]
    result.rules_run = tuple(r.code for r in rules)
    if not rules and not extractors:
        return
    guards = [_Guard(v) for v in (*rules, *extractors)]
    with _deep_recursion():
        _traverse(ctx, [*rules, *extractors], guards)
        for extractor, guard in zip(extractors, guards[len(rules) :], strict=True):
            _finish(extractor, guard)
    if any(isinstance(g.crash, RecursionError) for g in guards):
        raise RecursionError  # nesting deeper than even the raised limit: the file, not a rule, is the problem
    _collect(result, rules, extractors, guards)
    result.facts = ctx.facts


class _resolve_all:
    """Resolve the metadata each visitor declares (most declare none) for the traversal."""

    def __init__(self, wrapper: MetadataWrapper, visitors: Sequence[cst.BatchableCSTVisitor]) -> None:
        self.wrapper = wrapper
        self.visitors = [v for v in visitors if v.get_inherited_dependencies()]

    def __enter__(self) -> None:
        for v in self.visitors:
            v.metadata = self.wrapper.resolve_many(v.get_inherited_dependencies())

    def __exit__(self, *exc: object) -> None:
        for v in self.visitors:
            v.metadata = {}
