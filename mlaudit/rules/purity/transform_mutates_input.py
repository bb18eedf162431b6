"""MLA203 transform-mutates-input: a transform changes one of its parameters in place.

A project rule over the ``input_mutations`` facts (``mlaudit.facts.input_mutations``: what counts as an
in-place change, when a parameter stops being tracked) because what a function's caller hands it depends on
the whole project (rules.md, "Frameworks"): quiet on

* entry points (rules.md, "Entry points");
* framework stages whose inputs arrive as fresh copies: ZenML ``@step``, Prefect ``@task``, Airflow
  ``@task``, Kubeflow/Dagster/Metaflow stages, and Kedro nodes (``node(fn, ...)`` anywhere in the project);
* functions passed to Hugging Face ``Dataset.map`` (``with_transform``/``set_transform``): they receive a
  batch built for the call and return the batch they edit;
* FastAPI start-up code and dependency providers; behave/pytest-bdd step files (tests);
* functions whose every first-party caller hands each changed parameter a fresh value or rebinds the name to
  the result (``df = self._cast(pd.read_csv(p))``, ``df = _cast(df)``; ``mlaudit.facts.call_sites``): the
  change cannot reach a caller. A function with no known caller, or one passed on as a value
  (``df.pipe(f)``, ``FunctionTransformer(f)``), or a public function of a package (its callers may be
  elsewhere) is still reported.

One finding per function (rules.md v2, "One finding per cause"): at the first change, every other changed
parameter in ``related``. The advice fits the type: ``x = x.clone()`` for torch tensors, ``df = df.copy()``
otherwise, and dropping ``inplace=True``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite
from mlaudit.facts.model import CallSiteFact, FileFacts, InputMutationFact
from mlaudit.model import Severity
from mlaudit.project import scripts
from mlaudit.project.callgraph import CallGraph
from mlaudit.project.index import ProjectIndex


def _advice(m: InputMutationFact) -> str:
    if m.inplace:
        return "drop `inplace=True` and use the returned object"
    copy = "clone" if m.tensor else "copy"
    return f"copy it first (`{m.param} = {m.param}.{copy}()`) or return a new object"


class TransformMutatesInput(ProjectRule):
    code = "MLA203"
    name = "transform-mutates-input"
    category = "purity"
    severity = Severity.WARNING
    # Opt-in: independent reviews of real ML repositories found its findings right on 0 of 4 (MLA201),
    # 0 of 15 (MLA202) and 2 of 16 (MLA203): real code rarely has the named transforms this rule
    # assumes, and augmentations are random and edit their sample by design. See after.md.
    default_enabled = False
    message = "Transform mutates its input in place: copy it first (`df = df.copy()`) or return a new object"
    requires_facts = frozenset({"input_mutations", "call_sites", "functions"}) | scripts.REQUIRED_FACTS

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        quiet = set(scripts.entry_points(index)) | scripts.stages(index) | scripts.map_functions(index)
        callers = _callers(index) if any(f.input_mutations for f in index) else {}
        for facts in index:
            if not facts.input_mutations or scripts.is_bdd(facts):
                continue
            yield from self._check_file(facts, quiet, callers)

    def _check_file(
        self, facts: FileFacts, quiet: set[str], callers: dict[str, list[CallSiteFact]]
    ) -> Iterator[RawFinding]:
        lifespan = set(facts.script.lifespan) if facts.script else set()
        by_function: dict[str, list[InputMutationFact]] = {}
        for m in facts.input_mutations:
            name = f"{facts.module}.{m.function}" if facts.module else m.function
            if name not in quiet and m.function not in lifespan:
                by_function.setdefault(m.function, []).append(m)
        for function, mutations in by_function.items():
            name = f"{facts.module}.{function}" if facts.module else function
            if _private(function) and _callers_safe(mutations, callers.get(name, [])):
                continue
            mutations.sort(key=lambda m: (m.span.line, m.span.col))
            first = mutations[0]
            if len(mutations) == 1:
                message = (
                    f"transform `{function}` mutates its input `{first.param}` in place (`{first.what}`): "
                    f"{_advice(first)}"
                )
            else:
                params = ", ".join(f"`{m.param}`" for m in mutations)
                message = (
                    f"transform `{function}` mutates {len(mutations)} of its inputs in place ({params}); "
                    f"the first, `{first.param}` (`{first.what}`): {_advice(first)}"
                )
            related = [
                RelatedSite(facts.path, m.span, f"`{function}` mutates `{m.param}` (`{m.what}`): {_advice(m)}")
                for m in mutations[1:]
            ]
            yield self.finding(facts.path, first.span, message, snippet=first.snippet, related=related)


def _callers(index: ProjectIndex) -> dict[str, list[CallSiteFact]]:
    """Every first-party call site (and opaque use) of every known function, by its absolute name."""
    graph = index.memo("callgraph", lambda: CallGraph.build(index))
    out: dict[str, list[CallSiteFact]] = {}
    for facts in index:
        for site in facts.call_sites:
            # The graph knows the functions that call or do something; others are named as written.
            out.setdefault(graph.resolve(site.target) or site.target, []).append(site)
    return out


def _private(qualname: str) -> bool:
    """A helper no code outside the project calls: its name, or its class's, starts with ``_`` (a public
    function's callers may be anywhere, so its known callers do not settle it)."""
    return any(part.startswith("_") and not part.startswith("__") for part in qualname.split(".") if part)


def _callers_safe(mutations: list[InputMutationFact], sites: list[CallSiteFact]) -> bool:
    """Every known caller passes every changed parameter a fresh value or rebinds it to the result; there
    is at least one caller and no opaque use."""
    if not sites or any(s.opaque for s in sites):
        return False
    for site in sites:
        for m in mutations:
            if m.param not in site.safe and (m.position < 0 or str(m.position) not in site.safe):
                return False
    return True
