"""Command line (typer). The only module that prints or exits.

Exit codes: 0 clean; 1 findings at or above ``--fail-on`` (or a file that could not be analysed);
2 usage, configuration or internal error.
"""

from __future__ import annotations

import copy
import inspect
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mlaudit import __version__
from mlaudit.cli_coercion import DeferredCoercion

if TYPE_CHECKING:  # the CLI imports the engine lazily (``--version`` must stay fast)
    from mlaudit.api import CheckOptions
    from mlaudit.audit.compare import Comparison
    from mlaudit.audit.run import AuditRun
    from mlaudit.config.loader import LoadedConfig
    from mlaudit.engine.manifest import RuleInfo
    from mlaudit.engine.registry import Registry
    from mlaudit.gate import GateOptions, Plan
    from mlaudit.model import Report
    from mlaudit.reporters import RenderContext

app = typer.Typer(
    name="mlaudit",
    help="Audit machine-learning code: global state, I/O in transforms, scattered config, cycles, duplication.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _hide_python_types_of_named_arguments() -> None:
    """typer >= 0.20 prints an argument's Python type after its metavar (``PATH... <list[Path]>``);
    an argument that names its metavar shows only that, as options already do."""
    argument = getattr(typer.core, "TyperArgument", None)
    shown = getattr(argument, "display_type_rich", None)
    if argument is None or shown is None:
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if self.metavar else shown(self, ctx)

    argument.display_type_rich = display_type_rich


_hide_python_types_of_named_arguments()


def _defer_unset_coercion() -> None:
    """Each parameter's runtime coercion is ``cli_coercion.DeferredCoercion``: typer's pydantic adapter
    only for a value that needs it (~0.1 s saved on a warm check)."""
    parameter = getattr(typer.core, "_TyperParameter", None)
    if parameter is None or not hasattr(typer.core, "build_runtime_param") or not hasattr(parameter, "get_runtime_param"):
        return

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            self._runtime_param = DeferredCoercion(descriptor, lambda: typer.core.build_runtime_param(descriptor))
        return self._runtime_param

    parameter.get_runtime_param = get_runtime_param


_defer_unset_coercion()


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(f"mlaudit: error: {message}\n")
    return typer.Exit(EXIT_USAGE)


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _use_color(choice: Color, stream: Any) -> bool:
    from mlaudit.config.environment import color_preference

    if choice is Color.always:
        return True
    if choice is Color.never:
        return False
    preference = color_preference()
    if preference is not None:
        return preference
    return bool(getattr(stream, "isatty", lambda: False)())


def version_callback(value: bool) -> None:
    if value:
        print(f"mlaudit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """mlaudit: a linter for machine-learning repositories."""


@app.command()
def check(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or directories (default: .)", metavar="PATH")] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Rules to enable: code, prefix, name or ALL.", metavar="RULES")
    ] = None,
    extend_select: Annotated[list[str] | None, typer.Option(help="Rules to enable in addition.", metavar="RULES")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Rules to disable.", metavar="RULES")] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Replace the exclude globs.", metavar="GLOBS")] = None,
    extend_exclude: Annotated[list[str] | None, typer.Option(help="Add exclude globs.", metavar="GLOBS")] = None,
    force_exclude: Annotated[
        bool, typer.Option(help="Apply excludes to explicitly passed files too.")
    ] = False,
    respect_gitignore: Annotated[
        bool | None, typer.Option("--respect-gitignore/--no-respect-gitignore", help="Honour .gitignore.")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="Use this config file (skips discovery).", metavar="FILE")] = None,
    isolated: Annotated[bool, typer.Option(help="Ignore every config file.")] = False,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--output-format",
            envvar="MLAUDIT_OUTPUT_FORMAT",
            metavar="FORMAT",
            help="full, concise, json, json-lines, sarif, github, gitlab or junit.",
        ),
    ] = None,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write the report here.", metavar="FILE")
    ] = None,
    fail_on: Annotated[str | None, typer.Option(help="error, warning or info (default: warning).", metavar="SEVERITY")] = None,
    exit_zero: Annotated[bool, typer.Option(help="Exit 0 even with findings (still 2 on errors).")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: CPUs).", metavar="N")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", envvar="MLAUDIT_NO_CACHE", help="Neither read nor write the cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(envvar="MLAUDIT_CACHE_DIR", help="Cache directory (default: .mlaudit_cache).", metavar="DIR"),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Per-file time limit in seconds; a file over it is an error (config: timeout).", metavar="SECONDS"),
    ] = None,
    statistics: Annotated[bool, typer.Option(help="Print the number of findings per rule.")] = False,
    color: Annotated[Color, typer.Option(help="auto, always or never.", metavar="WHEN")] = Color.auto,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the findings.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show tracebacks of internal errors.")
    ] = False,
    report_to: Annotated[
        list[str] | None,
        typer.Option(
            "--report", metavar="FORMAT:PATH", help="Also write a report in FORMAT to PATH (repeatable)."
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Hide the findings recorded in this baseline file (config: baseline; default: "
            "mlaudit-baseline.json at the project root when it exists).",
            metavar="FILE",
        ),
    ] = None,
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help="Apply no baseline file.")] = False,
    stdin_filename: Annotated[
        Path | None,
        typer.Option(
            help="With the path `-`: the file that standard input stands for (editors).", metavar="PATH"
        ),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option(
            "--write-baseline",
            metavar="[=FILE]",
            help="Create the baseline, or drop its stale entries (default file: --baseline, config, "
            "mlaudit-baseline.json). Never in CI.",
        ),
    ] = None,
    allow_new: Annotated[bool, typer.Option(help="Let --write-baseline add the new findings too.")] = False,
    diff_base: Annotated[
        str | None, typer.Option(metavar="REF", help="Report only findings absent at git ref REF.")
    ] = None,
    add_ignore: Annotated[
        str | None,
        typer.Option(
            "--add-ignore",
            metavar="[=REASON]",
            help="Add `# mlaudit: ignore[rule] REASON` for every finding.",
        ),
    ] = None,
    fix: Annotated[
        bool | None, typer.Option("--fix/--no-fix", help="Apply the safe fixes, then report what remains.")
    ] = None,
    unsafe_fixes: Annotated[
        bool | None,
        typer.Option(
            "--unsafe-fixes/--no-unsafe-fixes", help="With --fix or --diff, apply unsafe fixes too."
        ),
    ] = None,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Print the diff the fixes would make; write nothing (exit 1 if any)."),
    ] = False,
    show_fixes: Annotated[bool, typer.Option(help="List the fixes applied.")] = False,
) -> None:
    """Check files and directories for ML code smells."""
    from mlaudit import api, gate

    if write_baseline is not None and (fix or diff):
        raise _fail(
            "--fix/--diff and --write-baseline cannot be combined: fix first, then write the baseline"
        )
    overrides: dict[str, Any] = {
        "select": _split(select),
        "extend-select": _split(extend_select),
        "ignore": _split(ignore),
        "exclude": _split(exclude),
        "extend-exclude": _split(extend_exclude),
        "respect-gitignore": respect_gitignore,
        "fail-on": fail_on,
        "output-format": output_format,
        "timeout": timeout,
        "fix": fix,
        "unsafe-fixes": unsafe_fixes,
    }
    options = api.CheckOptions(
        config_path=config,
        isolated=isolated,
        overrides=overrides,
        force_exclude=force_exclude,
        jobs=jobs,
        no_cache=no_cache,
        cache_dir=cache_dir,
    )
    gate_options = gate.GateOptions(
        reports=report_to or (),
        baseline=baseline,
        no_baseline=no_baseline,
        write_baseline=write_baseline,
        allow_new=allow_new,
        diff_base=diff_base,
        add_ignore=add_ignore,
    )
    targets = list(paths or [Path(".")])
    if Path("-") in targets:
        if fix or diff:
            raise _fail("--fix/--diff with `-` (standard input) is not supported: fix the file on disk")
        targets, options.stdin = _from_stdin(targets, stdin_filename)
    elif stdin_filename is not None:
        raise _fail("--stdin-filename needs `-` as the path (the content is read from standard input)")
    with _guarded(verbose, "internal error"):
        run = _analyse(targets, options, gate_options)
    if add_ignore is not None:
        code = gate.add_ignores(run.report, run.plan)
        sys.stderr.write("".join(m + "\n" for m in run.plan.messages))
        raise typer.Exit(code)
    fixed = _fix(run, targets, options, diff, show_fixes, verbose)
    _render(run, output_file, _Display(color, statistics, quiet, verbose))
    if fixed is not None:
        sys.stderr.write(fixed)
    raise typer.Exit(_final_exit_code(run, exit_zero))


def _from_stdin(targets: list[Path], stdin_filename: Path | None) -> tuple[list[Path], tuple[Path, bytes]]:
    """``mlaudit check - --stdin-filename path.py``: the content comes from standard input (ruff's
    convention for editors); the path places it in the project."""
    if len(targets) != 1:
        raise _fail("`-` (standard input) cannot be combined with other paths")
    name = stdin_filename or Path("stdin.py")
    if name.suffix not in (".py", ".pyi", ".ipynb"):
        raise _fail(f"--stdin-filename {name}: not a .py, .pyi or .ipynb file")
    return [name], (name, sys.stdin.buffer.read())
def _fix(
    run: _Run, target_paths: list[Path], options: CheckOptions, diff: bool, show: bool, verbose: bool
) -> str | None:
    """``--fix``/``--diff``: fix, then ``run.report`` is the re-check; returns the summary for stderr.
    ``--diff`` prints the diff and exits here (1 when there is a change). A plain check with a JSON or
    SARIF report fills the findings' ``fix`` fields (what a fix would do), writing nothing."""
    from mlaudit import api, gate

    settings = run.loaded.settings
    if not (diff or settings.fix):
        if {"json", "sarif"} & set(gate.formats_used(run.fmt, run.plan)) and run.report.findings:
            from mlaudit import fix_cache

            reg = options.registry or api.registry(plugins=options.plugins)

            def describe() -> None:
                from mlaudit import autofix  # the fixes' codemods (and libcst): only to describe or apply

                autofix.describe(run.report, loaded=run.loaded, rules=reg.rules)

            with _guarded(verbose, "internal error while describing fixes"):
                fix_cache.describe(
                    run.report,
                    loaded=run.loaded,
                    rules=reg.rules,
                    cache_root=api.cache_root(run.loaded, options),
                    compute=describe,
                )
        return None
    from mlaudit import autofix  # the fixes' codemods (and libcst): only when fixing

    if run.plan.write_path is not None:  # `fix = true` in config: writing a baseline accepts the findings
        return "Not fixing: --write-baseline records the findings as they are.\n"
    fix_options = autofix.FixOptions(
        unsafe=settings.unsafe_fixes, diff=diff, max_file_size=settings.max_file_size
    )
    reg = options.registry or api.registry(plugins=options.plugins)
    with _guarded(verbose, "internal error while fixing"):
        outcome = autofix.run(
            lambda: gate.apply(api.check(target_paths, options), run.plan),
            loaded=run.loaded,
            rules=reg.rules,
            options=fix_options,
            first=run.report,
        )
    run.report = outcome.report
    if diff:
        sys.stdout.write("".join(outcome.diffs))
        sys.stderr.write(outcome.message(show=True, would=True))
        raise typer.Exit(EXIT_FINDINGS if outcome.diffs else EXIT_CLEAN)
    return outcome.message(show=show, would=False)


@dataclass
class _Run:
    loaded: LoadedConfig
    fmt: str
    plan: Plan
    report: Report


@dataclass
class _Display:
    color: Color
    statistics: bool
    quiet: bool
    verbose: bool


@contextmanager
def _guarded(verbose: bool, what: str) -> Iterator[None]:
    """Usage errors exit 2 with their message; anything else exits 2 without a bare traceback."""
    from mlaudit import api

    try:
        yield
    except api.UsageError as exc:
        raise _fail(str(exc)) from None
    except typer.Exit:
        raise
    except Exception as exc:  # the last line of defence: never a bare traceback
        if verbose:
            traceback.print_exc()
        raise _fail(f"{what}: {type(exc).__name__}: {exc} (run with --verbose for details)") from None


def _analyse(target_paths: list[Path], options: CheckOptions, gate_options: GateOptions) -> _Run:
    from mlaudit import api, gate, reporters

    loaded = api.load_config(target_paths, options)
    manifest = api.cache_root(loaded, options)  # the rule manifest lives beside the results it keys
    if options.registry is None:  # from the manifest: a rule module (and libcst) only when needed
        options.registry = api.registry(plugins=options.plugins, manifest=manifest)
    fmt = loaded.settings.output_format
    if fmt not in reporters.FORMATS:
        raise _fail(f"unknown output format `{fmt}`; choose one of {', '.join(reporters.FORMATS)}")
    plan = gate.prepare(target_paths, options, loaded, gate_options, list(reporters.FORMATS))
    report = gate.apply(api.check(target_paths, options, loaded=loaded, rules=plan.enabled), plan)
    return _Run(loaded, fmt, plan, report)


def _render(run: _Run, output_file: Path | None, display: _Display) -> None:
    from mlaudit import api, gate, reporters

    root = run.loaded.root
    ctx = reporters.RenderContext(
        format=run.fmt,
        root=root,
        color=output_file is None and _use_color(display.color, sys.stdout),
        source_line=lambda f: api.source_line(root, f, run.loaded.settings.max_file_size),
        statistics=display.statistics,
        display_path=reporters.cwd_relative(root),
    )
    with _guarded(display.verbose, "internal error while rendering"):
        gate.complete_context(ctx, run.plan, gate.formats_used(run.fmt, run.plan))
        text = reporters.get(run.fmt).render(run.report, ctx)
    if display.quiet and run.fmt in ("full", "concise"):
        text = "".join(line + "\n" for line in text.splitlines() if line and not line.startswith("Found "))
    _write(text, output_file)
    _write_extra_reports(run, ctx, display.verbose)
    stats = gate.statistics(run.report, run.fmt) if display.statistics else None
    sys.stderr.write("".join(m + "\n" for m in run.plan.messages) + (stats + "\n" if stats else ""))


def _write_extra_reports(run: _Run, ctx: RenderContext, verbose: bool) -> None:
    """``--report FORMAT:PATH`` files and the GitHub step summary."""
    from mlaudit import gate

    with _guarded(verbose, "internal error while rendering"):
        try:
            gate.write_reports(run.report, run.plan, ctx, run.fmt)
        except OSError as exc:
            raise _fail(f"cannot write {exc.filename}: {exc.strerror}") from None


def _write(text: str, output_file: Path | None) -> None:
    if output_file is None:
        sys.stdout.write(text)
        return
    try:
        output_file.parent.mkdir(parents=True, exist_ok=True)
        output_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output_file}: {exc.strerror}") from None


def _final_exit_code(run: _Run, exit_zero: bool) -> int:
    from mlaudit import api
    from mlaudit.model import Severity

    code = api.exit_code(run.report, Severity(run.loaded.settings.fail_on))
    return EXIT_CLEAN if exit_zero and code == EXIT_FINDINGS else code


@app.command("rules")
def list_rules(
    output_format: Annotated[str, typer.Option("--output-format", help="table, json or markdown.")] = "table",
) -> None:
    """List every rule."""
    import json

    from mlaudit import catalogue

    known = _known_rules()
    rows = [catalogue.rule_info(r) for r in known]
    if output_format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    if output_format == "markdown":
        sys.stdout.write(catalogue.markdown_table(list(known)))
        return
    if output_format != "table":
        raise _fail("--output-format must be table, json or markdown")
    width = max(len(str(r["name"])) for r in rows)
    for r in rows:
        on = "" if r["default_enabled"] else "  (off by default)"
        fix = (
            f"  [fix: {str(r['fix_availability']).lower()}, {r['fix_applicability']}]"
            if r["fix_applicability"]
            else ""
        )
        print(f"{r['code']}  {r['name']:<{width}}  {r['severity']:<7}  {r['summary']}{fix}{on}")


def _known_rules() -> list[RuleInfo]:
    """Every rule's metadata from the manifest: no rule module (nor libcst) is imported once it exists."""
    from mlaudit.engine import manifest

    def build() -> Registry:
        from mlaudit import api

        return api.registry()

    return manifest.rules(build)


def _find_rule(known: list[RuleInfo], key: str) -> RuleInfo:
    """The rule named by a code or a name; a usage error naming the family or the closest key otherwise."""
    import difflib

    for rule in known:
        if rule.code == key.upper() or rule.name == key.lower():
            return rule
    prefixed = sorted(r.code for r in known if r.code.upper().startswith(key.upper()))
    if prefixed:  # a prefix selects a family: list it, as `--select MLA2` would
        raise _fail(f"`{key}` is a prefix of {', '.join(prefixed)}: name one rule")
    keys = {r.code for r in known} | {r.name for r in known}
    hint = difflib.get_close_matches(key, sorted(keys), n=1)
    raise _fail(f"unknown rule `{key}`" + (f"; did you mean `{hint[0]}`?" if hint else ""))


@app.command("rule")
def show_rule(
    key: Annotated[str, typer.Argument(help="A rule code or name, e.g. MLA201 or io-in-transform.")],
) -> None:
    """Print a rule's documentation."""
    from mlaudit import catalogue

    rule = _find_rule(_known_rules(), key)
    sys.stdout.write(catalogue.render_doc(rule))


@app.command("graph")
def graph_command(
    path: Annotated[Path, typer.Argument(help="Project directory (default: .)")] = Path("."),
    output_format: Annotated[str, typer.Option("--format", "-f", help="mermaid, dot or svg.")] = "mermaid",
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
    max_nodes: Annotated[
        int, typer.Option(min=1, help="Above this many modules, collapse them into their packages.")
    ] = 100,
    depth: Annotated[
        int | None, typer.Option(min=1, help="Collapse modules into packages this many components deep.")
    ] = None,
    include_tests: Annotated[bool, typer.Option(help="Draw test modules too.")] = False,
    config: Annotated[Path | None, typer.Option(help="Use this config file (skips discovery).", metavar="FILE")] = None,
    isolated: Annotated[bool, typer.Option(help="Ignore every config file.")] = False,
    exit_zero: Annotated[
        bool, typer.Option(help="Exit 0 even when the graph has cycles or violations.")
    ] = False,
) -> None:
    """Draw the first-party import graph, cycles and layer violations highlighted (exit 1 if any)."""
    from mlaudit import api, graph

    if output_format not in graph.FORMATS:
        raise _fail(f"unknown format `{output_format}`; choose one of {', '.join(graph.FORMATS)}")
    try:
        found = api.project_facts([path], api.CheckOptions(config_path=config, isolated=isolated))
        picture = graph.build_picture(
            found.index, max_nodes=max_nodes, depth=depth, include_tests=include_tests
        )
        text = graph.render(picture, output_format)
    except (api.UsageError, graph.GraphError) as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # never a bare traceback
        raise _fail(f"internal error: {type(exc).__name__}: {exc}") from None
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write {output_file}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    for rel in found.unreadable:
        sys.stderr.write(f"mlaudit: warning: {rel} could not be parsed; its imports are missing\n")
    sys.stderr.write(f"mlaudit graph: {picture.summary()}\n")
    raise typer.Exit(EXIT_FINDINGS if picture.has_problems and not exit_zero else EXIT_CLEAN)


@app.command("audit")
def audit_command(
    path: Annotated[Path, typer.Argument(help="Project directory (default: .)")] = Path("."),
    output_format: Annotated[
        str, typer.Option("--output-format", "-f", help="text, markdown, json or html.")
    ] = "text",
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "--output", "-o", help="Write the report here.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every check.")] = False,
    compare: Annotated[
        Path | None, typer.Option(help="A previous `--output-format json` report: show the change.")
    ] = None,
    fail_under: Annotated[
        float | None, typer.Option(min=0, max=100, help="Exit 1 when the overall score is below this.")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="Use this config file (skips discovery).")] = None,
    isolated: Annotated[bool, typer.Option(help="Ignore every config file.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", envvar="MLAUDIT_NO_CACHE", help="Neither read nor write the cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(envvar="MLAUDIT_CACHE_DIR", help="Cache directory (default: .mlaudit_cache)."),
    ] = None,
    color: Annotated[Color, typer.Option(help="auto, always or never.")] = Color.auto,
) -> None:
    """Grade the repository: six areas, each check with evidence and a fix (exit 1 under --fail-under)."""
    from mlaudit import api
    from mlaudit.audit.output import FORMATS, render

    if output_format not in FORMATS:
        raise _fail(f"unknown format `{output_format}`; choose one of {', '.join(FORMATS)}")
    options = api.CheckOptions(
        config_path=config.resolve() if config else None,
        isolated=isolated,
        no_cache=no_cache,
        cache_dir=cache_dir.resolve() if cache_dir else None,
    )
    run, comparison = _audit(path, options, compare)
    use_color = output_file is None and _use_color(color, sys.stdout)
    _write(render(run, output_format, output_file=output_file, verbose=verbose, comparison=comparison,
                  color=use_color), output_file)  # fmt: skip
    report = run.report
    if output_file is not None:
        sys.stderr.write(
            f"mlaudit audit: {report.score:.1f}/100, grade {report.grade}; wrote {output_file}\n"
        )
    threshold = fail_under if fail_under is not None else run.analysis.loaded.settings.audit.fail_under
    if threshold is not None and report.score < threshold:
        sys.stderr.write(f"mlaudit audit: score {report.score:.1f} is under --fail-under {threshold:g}\n")
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_CLEAN)


def _audit(
    path: Path, options: CheckOptions, previous_json: Path | None
) -> tuple[AuditRun, Comparison | None]:
    """(the audit run, the comparison with ``--compare`` or None); usage problems exit 2."""
    from mlaudit.audit import AuditError, run_audit
    from mlaudit.audit.compare import CompareError, compare, load_previous

    try:
        previous = load_previous(previous_json) if previous_json is not None else None
        run = run_audit(path, options)
    except (AuditError, CompareError) as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # never a bare traceback
        raise _fail(f"internal error: {type(exc).__name__}: {exc}") from None
    return run, compare(run.report, previous) if previous is not None else None


@app.command("clean")
def clean(
    path: Annotated[Path, typer.Argument(help="Project directory.")] = Path("."),
    cache_dir: Annotated[
        Path | None, typer.Option(envvar="MLAUDIT_CACHE_DIR", help="Cache directory.")
    ] = None,
) -> None:
    """Remove the cache directory."""
    from mlaudit import api
    from mlaudit.engine.cache import clean as remove

    try:
        loaded = api.load_config([path], api.CheckOptions())
    except api.UsageError as exc:
        raise _fail(str(exc)) from None
    target = cache_dir or Path(loaded.settings.cache_dir)
    if not target.is_absolute():
        target = loaded.root / target
    if remove(target):
        print(f"Removed {target}")
    elif target.exists():
        raise _fail(f"{target} has no CACHEDIR.TAG: not an mlaudit cache, not removed")
    else:
        print(f"No cache at {target}")


example_app = typer.Typer(
    help="The bundled reference pipeline and its legacy twin.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(example_app, name="example")


@example_app.command("run")
def example_run(
    workdir: Annotated[Path | None, typer.Option(help="Run here (default: a new temporary folder).")] = None,
) -> None:
    """Run the reference pipeline end to end in a fresh folder."""
    import shutil
    import tempfile

    from rich.console import Console

    from mlaudit import example

    console = Console(highlight=False, soft_wrap=True)
    target = workdir or Path(tempfile.mkdtemp(prefix="mlaudit-example-"))
    try:
        with console.status("starting") as status:
            summary = example.run_reference(target, step=lambda text: status.update(text))
    except example.ExampleError as exc:
        if workdir is None:  # a failed run leaves no empty temporary folder behind
            shutil.rmtree(target, ignore_errors=True)
        raise _fail(str(exc)) from None
    console.print(f"[bold]Reference pipeline ran in[/] {summary.workdir}")
    for key, value in summary.metrics.items():
        console.print(f"  {key}: {_metric(value)}")
    console.print(f"Artifact folder: {summary.artifact_dir}")
    console.print(f"Experiment log:  {summary.experiment_log}")
    console.print("Logged row: " + ", ".join(f"{k}={v}" for k, v in summary.experiment_row.items()))


def _metric(value: object) -> str:
    """``0.8341`` for a score, ``150`` for a count stored as a float."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4f}"
    return str(value)


@example_app.command("audit")
def example_audit() -> None:
    """Audit both example projects and show them side by side."""
    from collections import Counter

    from rich.console import Console
    from rich.table import Table

    from mlaudit import api, example

    root = example.examples_dir()
    reports = {}
    for name in (example.LEGACY, example.REFERENCE):
        reports[name] = api.check([root / name], api.CheckOptions(no_cache=True))
    counts = {name: Counter((f.code, f.name) for f in r.findings) for name, r in reports.items()}
    table = Table(title="mlaudit on the bundled examples")
    table.add_column("rule")
    table.add_column(example.LEGACY, justify="right")
    table.add_column(example.REFERENCE, justify="right")
    for code, name in sorted(set(counts[example.LEGACY]) | set(counts[example.REFERENCE])):
        table.add_row(
            f"{code} {name}",
            str(counts[example.LEGACY][(code, name)]),
            str(counts[example.REFERENCE][(code, name)]),
        )
    table.add_row(
        "[bold]total[/]",
        str(reports[example.LEGACY].summary.findings),
        str(reports[example.REFERENCE].summary.findings),
    )
    Console(highlight=False).print(table)
    print(f"Run `mlaudit check {root / example.LEGACY}` for the findings themselves.")


@example_app.command("copy")
def example_copy(target: Annotated[Path, typer.Argument(help="A new, empty directory.")]) -> None:
    """Write the reference pipeline out as a starting point for a new project."""
    from mlaudit import example

    try:
        example.copy_reference(target)
    except example.ExampleError as exc:
        raise _fail(str(exc)) from None
    print(f"Wrote the reference pipeline to {target}")
    print(f"Next: cd {target} && python -m leadscore.train --config configs/base.toml")


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of the JSON report."""
    import json

    from mlaudit.model import Report

    sys.stdout.write(json.dumps(Report.model_json_schema(), indent=2) + "\n")


def main() -> None:
    # Fast path: `mlaudit --version` must not import the analysis stack.
    if sys.argv[1:] == ["--version"]:
        print(f"mlaudit {__version__}")
        return
    argv = sys.argv[1:]
    _app_for(argv[0] if argv else "")(args=optional_values(argv), prog_name="mlaudit")


def _app_for(command: str) -> typer.Typer:
    """The app with only the command named first: typer builds every registered command on each run
    (each one's type hints evaluated, each option's parameter built), ~5% of a warm ``check``. Parsing,
    help and errors of that command are the same; anything else (``--help``, no or an unknown
    command, ``example``) gets the whole app."""
    for info in app.registered_commands:
        callback = info.callback
        if callback is not None and command == (info.name or callback.__name__):
            _evaluate_annotations(callback)
            single = copy.copy(app)
            single.registered_commands = [info]
            single.registered_groups = []
            return single
    return app


def _evaluate_annotations(callback: Any) -> None:
    """The command's annotations evaluated once, as ``inspect.signature(eval_str=True)`` evaluates them
    (this module's annotations are strings): typer reads the signature of the command five times while
    building it, and evaluated ``check``'s 34 ``Annotated[..., typer.Option(...)]`` each time."""
    if any(isinstance(a, str) for a in callback.__annotations__.values()):
        callback.__annotations__ = inspect.get_annotations(callback, eval_str=True)


_OPTIONAL_VALUE = ("--add-ignore", "--write-baseline")


def optional_values(argv: list[str]) -> list[str]:
    """``--add-ignore[=REASON]`` and ``--write-baseline[=FILE]`` take an optional value, which click
    cannot express: a bare flag becomes ``--flag=`` (empty = the default). ``--write-baseline FILE``
    with a space is accepted when FILE ends in ``.json`` (never a path mlaudit checks)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out += argv[i:]
            break
        if arg in _OPTIONAL_VALUE:
            following = argv[i + 1] if i + 1 < len(argv) else ""
            if arg == "--write-baseline" and following.endswith(".json") and not following.startswith("-"):
                out.append(f"{arg}={following}")
                i += 2
                continue
            arg = f"{arg}="
        out.append(arg)
        i += 1
    return out


if __name__ == "__main__":
    main()
