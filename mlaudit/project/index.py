"""The project index: every file's facts, built once per run; the input of every project rule."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from mlaudit.config.schema import Settings
from mlaudit.project.programs import ProgramMap

if TYPE_CHECKING:
    from mlaudit.facts.model import FileFacts

T = TypeVar("T")


@dataclass
class ProjectIndex:
    settings: Settings
    files: dict[str, FileFacts] = field(default_factory=dict)
    """Facts by project-relative path, in path order."""

    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Compute an analysis once per run and share it between rules (the import graph for MLA401-403,
        clone groups for MLA501-502): the index lives exactly as long as the run."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    @classmethod
    def build(cls, facts: Iterable[FileFacts], settings: Settings) -> ProjectIndex:
        ordered = sorted(facts, key=lambda f: f.path)
        return cls(settings=settings, files={f.path: f for f in ordered})

    @property
    def programs(self) -> ProgramMap:
        """Which program each file belongs to and which programs import one another (computed once)."""
        return self.memo("project.programs", lambda: ProgramMap.from_facts(self))

    @property
    def by_module(self) -> dict[str, FileFacts]:
        """Module name -> facts (the first path in sort order wins when two files claim a name)."""
        out: dict[str, FileFacts] = {}
        for facts in self.files.values():
            if facts.module and not facts.is_notebook:
                out.setdefault(facts.module, facts)
        return out

    def __iter__(self) -> Iterator[FileFacts]:
        return iter(self.files.values())

    @staticmethod
    def is_production(facts: FileFacts) -> bool:
        return "test" not in facts.roles and "experiment" not in facts.roles
