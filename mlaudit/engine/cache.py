"""Per-file result cache: findings AND facts, so project rules rebuild without re-parsing.

Layout (ruff/mypy conventions)::

    .mlaudit_cache/CACHEDIR.TAG
    .mlaudit_cache/.gitignore                 ("*")
    .mlaudit_cache/<version>/<run key>/<aa>/<entry key>.json
    .mlaudit_cache/<version>/<run key>/pack.json   (the last run's entries and project findings)

The run key hashes the mlaudit version and the effective plan (settings, enabled rules and their
options, extractors); an entry key hashes the file's path, module name, roles and content. Entries are
JSON (never pickle: a cache directory inside an audited repository is untrusted input), written to a
temporary file and renamed into place, so concurrent runs never see half an entry. A corrupt entry is
discarded with a warning and recomputed. The pack is what a warm run reads: one file instead of one
per source file, with the facts left as text until the project rules need them (a damaged pack is
removed and the entries are read instead).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from dataclasses import dataclass, field, fields, make_dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_type_hints

from pydantic import TypeAdapter, ValidationError

from mlaudit import __version__
from mlaudit.engine import lazy, results, strict_json
from mlaudit.engine.atomic import atomic_write
from mlaudit.engine.discovery import SourceFile
from mlaudit.engine.manifest import tree_stats
from mlaudit.engine.results import FileResult, RunPlan
from mlaudit.engine.rule import RawFinding

if TYPE_CHECKING:
    from mlaudit.facts.model import FileFacts

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mlaudit.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

def _fact_records() -> type[FileFacts]:
    """The fact records, imported on first need (a warm run served from the pack decodes no fact).
    ``engine.results`` names ``FileFacts`` for type checkers only; it is bound there now, so that an
    adapter of ``FileResult`` resolves its ``facts`` field."""
    from mlaudit.facts.model import FileFacts

    vars(results).setdefault("FileFacts", FileFacts)
    return FileFacts


@cache
def _adapter() -> TypeAdapter[FileResult]:
    _fact_records()
    return TypeAdapter(FileResult)


def __getattr__(name: str) -> Any:
    if name == "_ADAPTER":  # the per-entry adapter, built on first use (a warm run reads the pack)
        return _adapter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _pack_adapter() -> TypeAdapter[PackDoc]:
    return TypeAdapter(PackDoc)


@cache
def _facts_adapter() -> TypeAdapter[FileFacts]:
    return TypeAdapter(_fact_records())


_HINTS = get_type_hints(FileResult, localns={"FileFacts": Any})  # its facts field is not packed
PackedResult = make_dataclass(
    "PackedResult", [(f.name, _HINTS[f.name], f) for f in fields(FileResult) if f.name != "facts"]
)
PackedResult.__module__ = __name__
"""``FileResult`` without its facts (the pack keeps them as text): a warm run builds no facts schema."""


def packed(result: FileResult) -> Any:
    return PackedResult(**{f.name: getattr(result, f.name) for f in fields(PackedResult)})


def unpacked(entry: Any) -> FileResult:
    return FileResult(**{f.name: getattr(entry, f.name) for f in fields(PackedResult)})


@dataclass
class PackDoc:
    """The last run's results in one file (``pack.json`` beside the entries), read once by the next run.

    Facts are kept as JSON text and decoded only when the project rules must run again (``facts_of``):
    when no file changed, the project findings come from here too and no fact is decoded."""

    entries: dict[str, PackedResult] = field(default_factory=dict)  # type: ignore[valid-type]
    """Entry key -> the file's result without its facts."""
    facts: dict[str, str] = field(default_factory=dict)
    """Entry key -> the file's facts (JSON)."""
    project_key: str = ""
    """What the project findings were computed from (``api``: plan, project rules, every entry key)."""
    project: list[RawFinding] = field(default_factory=list)


def _read_pack(data: bytes) -> PackDoc:
    """The pack decoded without pydantic's adapter when it is exactly what the adapter wrote
    (``strict_json``: no schema to build on a warm run; parsed by pydantic's own JSON parser);
    otherwise by the adapter, as always."""
    try:
        doc: PackDoc = strict_json.decoder(PackDoc)(strict_json.parse(data))
    except (strict_json.Unsupported, ValueError, RecursionError):
        return _pack_adapter().validate_json(data)
    return doc


def facts_of(text: str) -> FileFacts:
    return _facts_adapter().validate_json(text)


def facts_text(facts: FileFacts) -> str:
    return _facts_adapter().dump_json(facts).decode()


def _code_fingerprint(classes: tuple[type, ...]) -> list[tuple[str, int, int]]:
    """Size and mtime of the files defining the analysis (mlaudit itself and any rule pack), so an
    edited rule or extractor never meets results cached by its previous version."""
    files = {Path(__file__).resolve().parents[1]}
    for cls in classes:
        source = lazy.source_file(cls)  # a stand-in's module is not imported: the manifest knows its file
        if source:
            files.add(Path(source).resolve())
    return [entry for root in sorted(files) for entry in tree_stats(root)]


@cache
def plan_key(plan: RunPlan) -> str:
    classes = (*(rule for rule, _ in plan.file_rules), *plan.extractors)
    parts = {
        "version": __version__,
        "code": _code_fingerprint(classes),
        # Whether the run fixes does not change what a file's analysis finds.
        "settings": plan.settings.model_dump(mode="json", by_alias=True, exclude={"fix", "unsafe_fixes"}),
        "rules": [
            [f"{rule.__module__}.{rule.__qualname__}", rule.code, options.model_dump(mode="json")]
            for rule, options in plan.file_rules
        ],
        "extractors": [f"{x.__module__}.{x.__qualname__}" for x in plan.extractors],
        "keys": sorted(plan.rule_keys.items()),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]


def entry_key(job: SourceFile, digest: str) -> str:
    raw = f"{job.rel}\0{job.module}\0{','.join(sorted(job.roles))}\0{job.is_package}\0{job.program}\0{job.mirror}\0{digest}"
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    corrupt: int = 0
    unwritable: bool = False
    warnings: list[str] = field(default_factory=list)


class Cache:
    """A cache directory for one run plan. Safe to share between processes and concurrent runs."""

    def __init__(self, root: Path, plan: RunPlan) -> None:
        self.root = root
        self.dir = root / __version__ / plan_key(plan)

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[FileResult | None, bool]:
        """(entry, corrupt): a missing entry is (None, False); an unreadable one (None, True)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None, False
        except OSError:
            return None, False
        try:
            return _adapter().validate_json(data), False
        except (ValidationError, ValueError):
            with contextlib.suppress(OSError):
                path.unlink()
            return None, True

    def put(self, key: str, result: FileResult) -> bool:
        """Write atomically; False when the cache cannot be written (read-only project, full disk)."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._ensure_tags()
            atomic_write(path, _adapter().dump_json(result))
        except OSError:
            return False
        return True

    def read_pack(self) -> PackDoc:
        """The last run's pack; empty when missing or unreadable (a damaged pack is removed)."""
        path = self.dir / "pack.json"
        try:
            data = path.read_bytes()
        except OSError:
            return PackDoc()
        try:
            return _read_pack(data)
        except (ValidationError, ValueError):
            with contextlib.suppress(OSError):
                path.unlink()
            return PackDoc()

    def write_pack(self, pack: PackDoc) -> bool:
        """Replace the pack atomically; False when the cache cannot be written."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._ensure_tags()
            atomic_write(self.dir / "pack.json", _pack_adapter().dump_json(pack))
        except OSError:
            return False
        return True

    def _ensure_tags(self) -> None:
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            atomic_write(tag, CACHEDIR_TAG)
            atomic_write(self.root / ".gitignore", "# Automatically created by mlaudit.\n*\n")


def clean(root: Path) -> bool:
    """Remove a cache directory (``mlaudit clean``); refuses anything without a CACHEDIR.TAG."""
    if not (root / "CACHEDIR.TAG").is_file():
        return False
    shutil.rmtree(root, ignore_errors=True)
    return True
