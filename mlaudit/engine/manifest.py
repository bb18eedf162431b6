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
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from mlaudit import __version__

FORMAT = 1
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


def _tree(root: Path) -> Iterator[tuple[str, int, int]]:
    for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
        with contextlib.suppress(OSError):
            st = path.stat()
            yield str(path), st.st_size, st.st_mtime_ns


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
    package = Path(__file__).resolve().parents[1]
    points, roots = _pack_roots() if plugins else ([], [])
    files = [entry for root in [package, *roots] for entry in _tree(root)]
    raw = json.dumps([FORMAT, __version__, plugins, points, files])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def cache_folder() -> Path:
    # Read here, not through mlaudit.config: that package imports pydantic, which `rules` does not need.
    base = os.environ.get("XDG_CACHE_HOME")  # mlaudit: ignore[scattered-env-access]
    return Path(base or Path.home() / ".cache") / "mlaudit"


def info(rule: Any) -> RuleInfo:
    from mlaudit.engine.rule import ProjectRule

    return RuleInfo(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        message=rule.message,
        severity=Level(rule.severity.value),
        fix=rule.fix,
        default_enabled=rule.default_enabled,
        applies_to=frozenset(rule.applies_to),
        kind="project" if issubclass(rule, ProjectRule) else "file",
    )


def _encode(rules: list[RuleInfo]) -> str:
    rows = [{**asdict(r), "severity": r.severity.value, "applies_to": sorted(r.applies_to)} for r in rules]
    return json.dumps({"format": FORMAT, "version": __version__, "rules": rows})


def _decode(data: bytes) -> list[RuleInfo] | None:
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT or doc.get("version") != __version__:
            return None
        return [
            RuleInfo(
                **{
                    **row,
                    "severity": Level(str(row["severity"])),
                    "applies_to": frozenset(row["applies_to"]),
                }
            )
            for row in doc["rules"]
        ]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def rules(build: Callable[[], Iterable[Any]], *, plugins: bool = True) -> list[RuleInfo]:
    """Every rule's metadata in the registry's order: from the manifest, or from ``build()`` (the
    registry's rule classes, imported) on a miss, then stored for the next run."""
    folder = cache_folder()
    path = folder / f"rules-{fingerprint(plugins=plugins)}.json"
    with contextlib.suppress(OSError):
        found = _decode(path.read_bytes())
        if found is not None:
            return found
    built = [info(rule) for rule in build()]
    with contextlib.suppress(OSError):
        _write(path, _encode(built))
        for old in folder.glob("rules-*.json"):  # manifests of earlier code: never read again
            if old != path:
                old.unlink(missing_ok=True)
    return built


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
