"""Analyse one file: read, decode, parse ONCE with libcst, run every applicable file rule and fact
extractor in ONE batched traversal, and return plain data (no CST node leaves this module).

The parser (``engine.parsing``), the guarded batched traversal (``engine.traversal``) and the time limit
(``engine.limits``) live in their own modules; this one is the file pass that composes them.

Errors are data: an unreadable, undecodable or unparsable file gives ``FileResult.error``; a crash in
one rule is recorded for that rule and the other rules' findings are kept.
"""

from __future__ import annotations

import hashlib
import traceback
import warnings

import libcst as cst
from libcst.metadata import MetadataWrapper

from mlaudit.engine import suppressions as sup
from mlaudit.engine.context import FileContext
from mlaudit.engine.discovery import SourceFile
from mlaudit.engine.generated import GENERATED, is_generated
from mlaudit.engine.limits import Timeout as Timeout  # re-exported: api imports it here
from mlaudit.engine.limits import time_limit as time_limit  # re-exported: api imports it here
from mlaudit.engine.parsing import cpython_check, is_template, parse, parse_error
from mlaudit.engine.results import (
    FileErrorInfo,
    FileResult,
    RuleCrash,
    RunPlan,
    _error_result,
    _too_large,
    read_file,
)
from mlaudit.engine.rule import EXPERIMENT, FileRule, role_class
from mlaudit.engine.source import SourceError, for_analysis, is_excerpt, is_exercise_blank, read_source
from mlaudit.engine.traversal import Guard, collect, deep_recursion, describe, finish, traverse
from mlaudit.facts.model import FileFacts, Span
from mlaudit.facts.names import ModuleNames
from mlaudit.project.programs import declares_dependencies


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
    result.error, first_lines = cpython_check(source.text)
    if result.error is not None:
        return result
    try:
        module = parse(source.text)
    except Exception as exc:  # ParserSyntaxError, RecursionError, parser panics on exotic input
        message, span = parse_error(exc, source.text)
        lines = source.text.splitlines()
        result.error = FileErrorInfo(
            message,
            span,
            template=is_template(job.rel, source.text),
            exercise=not job.is_notebook and is_exercise_blank(lines, span.line),
            excerpt=not job.is_notebook and is_excerpt(lines, span.line),
        )
        return result
    try:
        _run_visitors(job, plan, source.text, module, result, first_lines)
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


def _run_visitors(
    job: SourceFile,
    plan: RunPlan,
    text: str,
    module: cst.Module,
    result: FileResult,
    first_lines: tuple[int, ...] | None = None,
) -> None:
    ctx = _context(job, plan, text, module, result)
    ctx.first_lines = first_lines
    rules = _applicable_rules(plan, ctx)
    extractors = [x(ctx) for x in plan.extractors]
    result.rules_run = tuple(r.code for r in rules)
    if not rules and not extractors:
        return
    guards = [Guard(v) for v in (*rules, *extractors)]
    with deep_recursion():
        traverse(ctx, [*rules, *extractors], guards)
        for extractor, guard in zip(extractors, guards[len(rules) :], strict=True):
            finish(extractor, guard)
    if any(isinstance(g.crash, RecursionError) for g in guards):
        raise RecursionError  # nesting deeper than even the raised limit: the file, not a rule, is the problem
    collect(result, rules, extractors, guards)
    result.facts = ctx.facts
