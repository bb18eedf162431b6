"""The rule manifest: every rule's metadata, without importing a rule module (nor libcst).

``mlaudit rules`` and ``mlaudit rule CODE`` only show metadata, yet building the registry imports every
rule module, and file rules are libcst visitors: most of the command's time went to importing the
parser. The manifest is built once by importing everything, then stored as JSON in the user's cache
folder (``$XDG_CACHE_HOME/mlaudit``, else ``~/.cache/mlaudit``) under a fingerprint of the code that
defines the rules: the size and mtime of every ``.py`` file of mlaudit and of each installed rule pack,
and the packs' entry points. Any edit, install or removal gives a new fingerprint, so a stale manifest
is never read. An unreadable, corrupt or foreign manifest is ignored (and rebuilt); an unwritable cache
folder only costs the speed-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlaudit import __version__
from mlaudit.engine.atomic import atomic_write

if TYPE_CHECKING:
    from mlaudit.engine.registry import Registry

FORMAT = 2
ENTRY_POINT_GROUP = "mlaudit.rules"  # engine.registry's, not imported here (it is the slow path)


@dataclass(frozen=True)
class Level:
    """A severity as the listing shows it (``.value`` like ``model.Severity``, without importing the
    pydantic report model)."""

    value: str


@dataclass(frozen=True)
class RuleInfo:
    """A rule's metadata as ``catalogue`` and the ``rules``/``rule`` commands read it."""

    code: str
    name: str
    category: str
    message: str
    severity: Level
    fix: str
    default_enabled: bool
    applies_to: frozenset[str]
    kind: str
    module: str = ""
    qualname: str = ""
    origin: str = ""
    """The file defining the rule (part of the cache key)."""
    parser: bool = False
    """A libcst visitor (a ``FileRule``): a stand-in until a file is analysed."""
    requires_facts: frozenset[str] = frozenset()
    options: dict[str, Any] | None = None
    """The default options' JSON dump; None when the rule has no options of its own."""


@dataclass(frozen=True)
class ExtractorInfo:
    module: str
    qualname: str
    origin: str
    provides: frozenset[str]


@dataclass(frozen=True)
class Manifest:
    rules: list[RuleInfo]
    extractors: list[ExtractorInfo]
    warnings: list[str]


PACKAGE = Path(__file__).resolve().parents[1]


def tree_stats(root: Path) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime) of every ``.py`` file below ``root`` (or of ``root`` itself). mlaudit's own
    files are read once per process (the manifest's fingerprint and the cache's run key both need them)."""
    return package_stats() if root == PACKAGE else _stats(root)


@cache
def package_stats() -> tuple[tuple[str, int, int], ...]:
    return _stats(PACKAGE)


def _stats(root: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
        with contextlib.suppress(OSError):
            st = path.stat()
            out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _pack_roots() -> tuple[list[str], list[Path]]:
    """The installed packs' entry points and the source folders (or files) they load from."""
    points, roots = [], []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
        dist = getattr(ep, "dist", None)
        version = f"{dist.metadata['Name']}=={dist.version}" if dist is not None else ""
        points.append(f"{ep.name}={ep.value}@{version}")
        top = ep.value.split(":")[0].split(".")[0].strip()
        try:
            spec = importlib.util.find_spec(top)  # a top-level name: found, not imported
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin and spec.origin not in ("built-in", "frozen"):
            origin = Path(spec.origin)
            roots.append(origin.parent if origin.name == "__init__.py" else origin)
    return points, roots


def fingerprint(*, plugins: bool) -> str:
    points, roots = _pack_roots() if plugins else ([], [])
    files = [entry for root in [PACKAGE, *roots] for entry in tree_stats(root)]
    raw = json.dumps([FORMAT, __version__, plugins, points, files])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def cache_folder() -> Path:
    # Read here, not through mlaudit.config: that package imports pydantic, which `rules` does not need.
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base or Path.home() / ".cache") / "mlaudit"


def _source(cls: Any) -> str:
    module = sys.modules.get(cls.__module__)
    file = getattr(module, "__file__", None)
    return str(Path(file).resolve()) if file else ""


def _own_options(rule: Any) -> dict[str, Any] | None:
    """The JSON dump of a rule's default options; None when the rule has no options of its own."""
    from mlaudit.engine.options import RuleOptions, options_type

    declared = options_type(rule)
    if declared is RuleOptions:
        return None
    dumped: dict[str, Any] = declared().model_dump(mode="json")
    return dumped


def info(rule: Any) -> RuleInfo:
    from mlaudit.engine.registry import is_file_rule
    from mlaudit.engine.rule import ProjectRule

    project = issubclass(rule, ProjectRule)
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        message=rule.message,
        severity=Level(rule.severity.value),
        fix=rule.fix,
        default_enabled=rule.default_enabled,
        applies_to=frozenset(rule.applies_to),
        kind="project" if project else "file",
        module=rule.__module__,
        qualname=rule.__qualname__,
        origin=_source(rule),
        parser=is_file_rule(rule),
        requires_facts=frozenset(rule.requires_facts) if project else frozenset(),
        options=_own_options(rule),
    )


def extractor_info(cls: Any) -> ExtractorInfo:
    return ExtractorInfo(
        module=cls.__module__, qualname=cls.__qualname__, origin=_source(cls), provides=frozenset(cls.provides)
    )


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    return value.value if isinstance(value, Level) else value


def _rows(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [{f.name: _plain(getattr(item, f.name)) for f in fields(item)} for item in items]


def _encode(manifest: Manifest) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "version": __version__,
            "rules": _rows(manifest.rules),
            "extractors": _rows(manifest.extractors),
            "warnings": list(manifest.warnings),
        }
    )


def _rule(row: dict[str, Any]) -> RuleInfo:
    return RuleInfo(
        **{
            **row,
            "severity": Level(str(row["severity"])),
            "applies_to": frozenset(row["applies_to"]),
            "requires_facts": frozenset(row["requires_facts"]),
        }
    )


def _decode(data: bytes) -> Manifest | None:
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT or doc.get("version") != __version__:
            return None
        return Manifest(
            rules=[_rule(row) for row in doc["rules"]],
            extractors=[ExtractorInfo(**{**row, "provides": frozenset(row["provides"])}) for row in doc["extractors"]],
            warnings=[str(w) for w in doc["warnings"]],
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def load(
    build: Callable[[], Registry], *, plugins: bool = True, folder: Path | None = None
) -> tuple[Manifest, Registry | None]:
    """The manifest (stored in ``folder``, by default the user's cache folder, or made from ``build()``,
    the registry built by importing every rule, then stored for the next run) and the registry when it
    had to be built."""
    folder = folder if folder is not None else cache_folder()
    path = folder / f"rules-{fingerprint(plugins=plugins)}.json"
    with contextlib.suppress(OSError):
        found = _decode(path.read_bytes())
        if found is not None:
            return found, None
    built = build()
    made = Manifest(
        rules=[info(rule) for rule in built.rules],
        extractors=[extractor_info(x) for x in built.extractors],
        warnings=list(built.warnings),
    )
    with contextlib.suppress(OSError):
        _write(path, _encode(made))
        for old in folder.glob("rules-*.json"):  # manifests of earlier code: never read again
            if old != path:
                old.unlink(missing_ok=True)
    return made, built


def rules(build: Callable[[], Registry], *, plugins: bool = True) -> list[RuleInfo]:
    """Every rule's metadata in the registry's order, imported from nowhere once the manifest exists."""
    return load(build, plugins=plugins)[0].rules


def registry(build: Callable[[], Registry], *, plugins: bool = True, folder: Path | None = None) -> Registry:
    """The registry, with stand-ins (``engine.lazy``) for the libcst visitors when the manifest is
    stored: the rule modules that import libcst are imported only when a file must be analysed."""
    manifest, built = load(build, plugins=plugins, folder=folder)
    if built is not None:
        return built
    try:
        return _from_manifest(manifest)
    except (ImportError, AttributeError):  # a module moved without a new fingerprint: never trusted
        return build()


def _from_manifest(manifest: Manifest) -> Registry:
    from mlaudit.engine import lazy
    from mlaudit.engine.registry import Registry
    from mlaudit.model import Severity

    rules = []
    for r in manifest.rules:
        attrs = {
            "code": r.code,
            "name": r.name,
            "category": r.category,
            "message": r.message,
            "severity": Severity(r.severity.value),
            "fix": r.fix,
            "default_enabled": r.default_enabled,
            "applies_to": r.applies_to,
        }
        if r.kind == "project":
            attrs["requires_facts"] = r.requires_facts
        kind = "file" if r.parser else r.kind if r.kind == "project" else "meta"
        rules.append(lazy.stand_in_rule(r.module, r.qualname, r.origin, attrs, kind=kind, options=r.options))
    extractors = [
        lazy.stand_in(x.module, x.qualname, x.origin, {"provides": x.provides}) for x in manifest.extractors
    ]
    return Registry(rules=rules, extractors=extractors, warnings=list(manifest.warnings))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
