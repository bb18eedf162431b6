#!/usr/bin/env python3
"""Scaffold a new mlaudit rule: the rule module, its catalogue folder and a test stub.

    python scripts/new_rule.py --family purity --code MLA204 --name print-in-transform --kind file

writes
    mlaudit/rules/<family>/<name_with_underscores>.py     the rule (registered by being there)
    rules/<family>/<CODE>-<name>/README.md                 the catalogue page, with the required headings
    rules/<family>/<CODE>-<name>/bad.py                    one line marked `# expect: <CODE>`
    rules/<family>/<CODE>-<name>/good.py                   the clean twin
    tests/rules/test_<name_with_underscores>.py            a test stub that fails until written

and regenerates the README's rule table. The new rule runs at once (the registry finds it) and reports
nothing, so the catalogue test fails on bad.py (and on the README's TODOs) until the rule is written: that
failure is the to-do list. See docs/contributing-rules.md.

    python scripts/new_rule.py --sync-readme

regenerates the README's rule table alone (after changing a rule's message or severity).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

FAMILIES = {
    "meta": "0",
    "state": "1",
    "purity": "2",
    "config": "3",
    "architecture": "4",
    "duplication": "5",
    "complexity": "6",
    "reproducibility": "7",
}

FILE_RULE = '''"""{code} {name}: {summary}"""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.rule import FileRule
from mlaudit.model import Severity


class {cls}(FileRule):
    """{summary}"""

    code = "{code}"
    name = "{name}"
    category = "{family}"
    severity = Severity.WARNING
    message = "{summary}"

    def visit_Call(self, node: cst.Call) -> None:
        # Resolve the callee through the module's imports: `self.ctx.resolve(node.func)` gives e.g.
        # "pandas.read_csv" (see the FileContext cheat-sheet in docs/contributing-rules.md); where the call
        # is: `self.ctx.function`, `transform_scope(self.ctx)` (facts.functions); then `self.report(node)`.
        return None


# Options, if the rule needs any: declare them once, as the type parameter (kebab-case keys are generated,
# `[tool.mlaudit.rules.{name}] max-calls = 3`), and read `self.options.max_calls`:
#
#     class {cls}Options(RuleOptions):   # from mlaudit.engine.options import RuleOptions
#         max_calls: int = Field(default=1, ge=0)
#
#     class {cls}(FileRule[{cls}Options]):
'''

PROJECT_RULE = '''"""{code} {name}: {summary}"""

from __future__ import annotations

from collections.abc import Iterable

from mlaudit.engine.rule import ProjectRule, RawFinding
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex


class {cls}(ProjectRule):
    """{summary}"""

    code = "{code}"
    name = "{name}"
    category = "{family}"
    severity = Severity.WARNING
    message = "{summary}"
    requires_facts = frozenset({{"imports"}})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        # Read the facts of every file from `index` (see the ProjectIndex cheat-sheet in
        # docs/contributing-rules.md) and `yield self.finding(path, span, message, related=...)`.
        return []


# Options, if the rule needs any: declare them once, as the type parameter (kebab-case keys are generated,
# `[tool.mlaudit.rules.{name}] max-sites = 3`), and read `self.options.max_sites`:
#
#     class {cls}Options(RuleOptions):   # from mlaudit.engine.options import RuleOptions
#         max_sites: int = Field(default=1, ge=0)
#
#     class {cls}(ProjectRule[{cls}Options]):
'''

README = """# {name} ({code})

## What it does
{summary}.

## Why is this bad?
TODO: the failure it causes in an ML system, in two or three sentences.

## Example
```python
{bad}
```

## Use instead
```python
{good}
```

## Options
None.

## References
- TODO
"""

BAD = "def build_features(df):\n    print(df.shape)  # expect: {code}\n    return df\n"
GOOD = "import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef build_features(df):\n    log.debug(\"%s\", df.shape)\n    return df\n"

TEST = '''"""{code} {name}: what it must flag and what it must stay quiet on."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import audit


def test_flags_the_real_thing(tmp_path: Path) -> None:
    src = """
    def build_features(df):
        print(df.shape)
        return df
    """
    found = audit(tmp_path, {{"pkg/features.py": src}}, "{code}")  # writes, checks {code} alone
    assert found.rows() == [("pkg/features.py", 2)]  # write the rule


def test_stays_quiet_on_realistic_clean_code(tmp_path: Path) -> None:
    src = """
    def build_features(df):
        return df
    """
    assert audit(tmp_path, {{"pkg/features.py": src}}, "{code}") == []
'''


def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def validate(family: str, code: str, name: str) -> list[str]:
    problems = []
    if family not in FAMILIES:
        problems.append(f"unknown family {family!r}; one of {', '.join(FAMILIES)}")
    elif not re.fullmatch(rf"MLA{FAMILIES[family]}\d\d", code):
        problems.append(f"code {code!r} must be MLA{FAMILIES[family]}NN for the {family} family")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", name):
        problems.append(f"name {name!r} must be kebab-case with at least two words (e.g. print-in-transform)")
    return problems


def scaffold(root: Path, family: str, code: str, name: str, kind: str, summary: str) -> list[Path]:
    """Write the rule's files under ``root`` (a checkout); refuse to overwrite anything."""
    snake = name.replace("-", "_")
    fields = {"code": code, "name": name, "family": family, "cls": class_name(name), "summary": summary}
    bad, good = BAD.format(code=code), GOOD
    files = {
        root / "mlaudit" / "rules" / family / f"{snake}.py": (FILE_RULE if kind == "file" else PROJECT_RULE).format(**fields),
        root / "rules" / family / f"{code}-{name}" / "README.md": README.format(bad=bad.rstrip(), good=good.rstrip(), **fields),
        root / "rules" / family / f"{code}-{name}" / "bad.py": bad,
        root / "rules" / family / f"{code}-{name}" / "good.py": good,
        root / "tests" / "rules" / f"test_{snake}.py": TEST.format(**fields),
    }
    existing = [p for p in files if p.exists()]
    existing += sorted((root / "rules").glob(f"*/{code}-*")) + sorted((root / "rules").glob(f"*/MLA???-{name}"))
    if existing:
        raise FileExistsError(f"already there: {', '.join(str(p) for p in existing)}")
    package = root / "mlaudit" / "rules" / family
    if not (package / "__init__.py").exists():
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(f'"""{family} rules."""\n', encoding="utf-8")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


TABLE = re.compile(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)", re.S)


def sync_readme(root: Path) -> bool:
    """Regenerate the rule table of ``root/README.md`` from the registry of the checkout at ``root`` (what
    ``mlaudit rules --output-format markdown`` prints). False when there is no README with the markers."""
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if not TABLE.search(text):
        return False
    sys.path.insert(0, str(root))  # this checkout's mlaudit, whatever the interpreter has installed
    from mlaudit import api, catalogue

    table = catalogue.markdown_table(api.registry(plugins=False).rules)
    readme.write_text(TABLE.sub(lambda m: m.group(1) + table + m.group(2), text), encoding="utf-8")
    return True


def next_steps(code: str, name: str) -> str:
    test = f"tests/rules/test_{name.replace('-', '_')}.py"
    return f"""next:
  1. write the rule, bad.py/good.py (and cases/), the README's TODOs; its test: {test}
  2. .venv/bin/python -m pytest {test} tests/test_catalogue.py -k "{code} or {name.replace('-', '_')}"
  3. a realistic instance in examples/legacy_project and {code} in tests/examples/test_legacy_codes.py
  4. python scripts/new_rule.py --sync-readme   (again whenever the message or severity changes)
  5. ruff, mypy, `mlaudit check .`, `pytest -m "not slow"`; precision on the corpus before it is on by default"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=sorted(FAMILIES))
    parser.add_argument("--code", help="MLA + 3 digits; the hundreds digit is the family")
    parser.add_argument("--name", help="kebab-case, e.g. print-in-transform")
    parser.add_argument("--kind", choices=("file", "project"), default="file")
    parser.add_argument("--summary", default="TODO: say what is wrong and what to do instead")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--sync-readme", action="store_true", help="only regenerate the README's rule table")
    args = parser.parse_args(argv)
    if args.sync_readme:
        if not sync_readme(args.root):
            print(f"new-rule: no README.md with a rules table under {args.root}", file=sys.stderr)
            return 2
        print("README.md rule table regenerated")
        return 0
    if not (args.family and args.code and args.name):
        parser.error("--family, --code and --name are required (or --sync-readme alone)")
    problems = validate(args.family, args.code, args.name)
    if problems:
        print("\n".join(f"new-rule: {p}" for p in problems), file=sys.stderr)
        return 2
    try:
        written = scaffold(args.root, args.family, args.code, args.name, args.kind, args.summary)
    except FileExistsError as exc:
        print(f"new-rule: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(args.root)}")
    if sync_readme(args.root):
        print("updated README.md (rule table)")
    print(next_steps(args.code, args.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
