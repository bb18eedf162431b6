"""MLA704: the serving side of a project, where a ``df.sample(n=100)`` picks a demo batch to send to a
deployed model (neither training nor evaluation: nothing to reproduce).

A file is on the serving side when its path says so (the ``serve`` role: ``app.py``, ``api.py``,
``predict.py``, ``serving/``; or a file or folder named for deployment or inference:
``deployment_pipeline.py``, ``deploy/``, ``inference.py``), or when every first-party module that imports
it is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mlaudit.facts.ml_repro import DATAFRAME_SAMPLE
from mlaudit.facts.model import FileFacts
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.architecture._graph import import_graph

_SERVING_WORDS = re.compile(
    r"^(deploy|deployment|deployments|serving|serve|inference|infer|predictor|server)$"
)


def _serving_path(facts: FileFacts) -> bool:
    if "serve" in facts.roles:
        return True
    words = [w for part in facts.path.lower().rsplit(".", 1)[0].split("/") for w in re.split(r"[_\-.]", part)]
    return any(_SERVING_WORDS.match(w) for w in words)


def serving_side(index: ProjectIndex) -> frozenset[str]:
    """Paths of the files on the serving side (see the module docstring)."""

    def compute() -> frozenset[str]:
        files = [f for f in index if f.module and not f.is_notebook]
        by_module = {f.module: f for f in files}
        direct = {f.path for f in index if _serving_path(f)}
        down = import_graph(index).adjacency(include_type_checking=False, include_function_level=True)
        importers: dict[str, set[str]] = {}
        for importer, targets in down.items():
            for target in targets:
                if importer != target and importer in by_module:
                    importers.setdefault(target, set()).add(by_module[importer].path)
        fed = {f.path for f in files if importers.get(f.module) and importers[f.module] <= direct}
        return frozenset(direct | fed)

    return index.memo("reproducibility.serving-side", compute)


def without_serving_samples(facts: FileFacts, serving: frozenset[str]) -> FileFacts:
    """``facts`` without its ``DataFrame.sample`` sites when the file is on the serving side."""
    if facts.path not in serving or not any(s.api == DATAFRAME_SAMPLE.name for s in facts.random_sites):
        return facts
    return replace(facts, random_sites=[s for s in facts.random_sites if s.api != DATAFRAME_SAMPLE.name])
