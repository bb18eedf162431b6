"""Model contracts: versioned artifacts, loaders that check the version, validated inputs, old artifacts
still loadable."""

from __future__ import annotations

import re

from mlaudit.audit.checks.base import Outcome, at, check, from_findings, na
from mlaudit.audit.context import AuditInput, Call, ClassDef, defs_of, matches
from mlaudit.audit.model import Evidence, Status
from mlaudit.facts.model import FileFacts

AREA = "contracts"

MODEL_SAVERS = ("torch.save", "joblib.dump", "pickle.dump", "dill.dump", "cloudpickle.dump", "skops.io.dump",
                ".save_pretrained", ".save_model", ".save_checkpoint", "onnx.save", "torch.onnx.export",
                "torch.jit.save", "safetensors.torch.save_file", "tensorflow.saved_model.save",
                "mlflow.sklearn.log_model", "mlflow.pytorch.log_model", "mlflow.pyfunc.log_model",
                "mlflow.sklearn.save_model", "mlflow.pytorch.save_model", "mlflow.tensorflow.log_model",
                "mlflow.keras.log_model", "mlflow.xgboost.log_model", "mlflow.lightgbm.log_model",
                "mlflow.transformers.log_model", "bentoml.", "keras.models.save_model")  # fmt: skip
MODEL_LOADERS = ("torch.load", "joblib.load", "pickle.load", "dill.load", "cloudpickle.load", "skops.io.load",
                 ".load_state_dict", ".load_from_checkpoint", "onnxruntime.InferenceSession",
                 "safetensors.torch.load_file", "tensorflow.saved_model.load", "keras.models.load_model",
                 "tensorflow.keras.models.load_model", "mlflow.pyfunc.load_model", "mlflow.sklearn.load_model",
                 "mlflow.pytorch.load_model", "torch.jit.load", "xgboost.Booster")  # fmt: skip
VALIDATORS = (".model_validate", ".model_validate_json", ".parse_obj", ".parse_raw", ".validate_python",
              ".validate_json", "jsonschema.validate", "pandera.", ".validate", "marshmallow.")  # fmt: skip
SCHEMA_NAMES = ("*Request", "*Row", "*Input", "*Inputs", "*Schema", "*Record", "*Payload", "*Features",
                "*Query", "*Example", "*Sample", "*Item")  # fmt: skip
# Formats that write their own metadata with the weights (HF config.json with the library version, an
# MLflow MLmodel file with flavour versions and signature).
SELF_DESCRIBING = (".save_pretrained", "mlflow.", "bentoml.")
WEB_FRAMEWORKS = frozenset({"fastapi", "flask", "starlette", "django", "bentoml", "gradio", "streamlit", "litserve",
                            "sanic", "falcon", "tornado", "kserve", "mlserver", "seldon_core", "aiohttp", "ray"})  # fmt: skip
VALIDATING_FRAMEWORKS = frozenset({"fastapi", "litserve", "bentoml"})
_ADAPTER = re.compile(r"(upgrade|migrate|adapt|legacy|convert_v\d|from_v\d|_v\d+_to|compat)", re.IGNORECASE)


def saves(inp: AuditInput) -> list[Call]:
    return [c for c in inp.calls(inp.production) if c.target.startswith(MODEL_SAVERS)]


def loads(inp: AuditInput) -> list[Call]:
    return [c for c in inp.calls(inp.production) if c.target.startswith(MODEL_LOADERS)]


def _no_models(inp: AuditInput) -> Outcome | None:
    if not saves(inp) and not loads(inp):
        return na("no model is saved or loaded in production code")
    return None


def _versioned_outcome(saved: list[Call], constants: int, findings: int) -> Status:
    if findings:
        return Status.PARTIAL if constants else Status.FAIL
    if constants:
        return Status.PASS
    described = [c for c in saved if c.target.startswith(SELF_DESCRIBING)]
    return Status.PASS if saved and len(described) == len(saved) else Status.FAIL


@check(
    "artifact-versioned",
    AREA,
    "Saved models carry a version and schema",
    weight=3,
    rules=("MLA703",),
    fix="Save a metadata record (model version, feature schema version, training config hash) with every "
    "model artifact.",
)
def artifact_versioned(inp: AuditInput, threshold: float) -> Outcome:
    skip = _no_models(inp)
    if skip:
        return skip
    findings = inp.findings("MLA703")
    constants = [(f, name) for f in inp.production for name in inp.audit(f).get("constants", ())]
    saved = saves(inp)
    summary = f"{len(saved)} model save site(s); {len(constants)} version constant(s)"
    if "MLA703" in inp.rule_codes:
        summary += f"; {len(findings)} unversioned save(s) (MLA703)"
    status = _versioned_outcome(saved, len(constants), len(findings))
    evidence = [at(f"version constant `{name}`", f.path, 1) for f, name in constants[:8]]
    evidence += from_findings(findings)
    if not constants:
        evidence += _save_sites(saved, status)
    return Outcome(status, summary, evidence)


def _save_sites(saved: list[Call], status: Status) -> list[Evidence]:
    what = "writes its own metadata with the model" if status is Status.PASS else "saved without a version"
    return [at(f"{c.target.lstrip('.')}: {what}", c.path, c.line) for c in saved[:8]]


def _version_checks(inp: AuditInput) -> list[tuple[str, str, str, int]]:
    """(path, module, scope, line) of every version comparison in production code."""
    return [
        (f.path, f.module, str(scope), int(line))
        for f in inp.production
        for scope, line in inp.audit(f).get("version_checks", ())
    ]


def _callers(inp: AuditInput, targets: set[str], depth: int = 3) -> set[str]:
    """``targets`` and the first-party functions that call one of them within ``depth`` hops."""
    reverse: dict[str, set[str]] = {}
    for caller, edges in inp.call_graph.edges.items():
        for callee, _ in edges:
            reverse.setdefault(callee, set()).add(caller)
    seen, frontier = set(targets), set(targets)
    for _ in range(depth):
        frontier = {c for name in frontier for c in reverse.get(name, ())} - seen
        seen |= frontier
    return seen


def _checks_near_loads(inp: AuditInput, checks: list[tuple[str, str, str, int]]) -> list[str]:
    """Version comparisons in a loading module or in a function that shares a caller with a loader."""
    load_files = {c.path for c in loads(inp)}
    loading = _callers(inp, {f"{c.module}.{c.scope}" for c in loads(inp)})
    return [
        p
        for p, module, scope, _ in checks
        if p in load_files or _callers(inp, {f"{module}.{scope}"}) & loading
    ]


@check(
    "loader-checks-version",
    AREA,
    "The loader checks the artifact's version",
    weight=2,
    fix="Compare the saved model/schema version with the running code's when loading, and refuse a mismatch.",
)
def loader_checks_version(inp: AuditInput, threshold: float) -> Outcome:
    if not loads(inp):
        return na("no model is loaded in production code")
    checks = _version_checks(inp)
    evidence = [at(f"version comparison in `{scope}`", p, line) for p, _, scope, line in checks[:10]]
    evidence += [at(f"loads a model: {c.target.lstrip('.')}", c.path, c.line) for c in loads(inp)[:5]]
    if not checks:
        files = len({c.path for c in loads(inp)})
        return Outcome(Status.FAIL, f"{files} file(s) load models; no version is compared", evidence)
    near = _checks_near_loads(inp, checks)
    status = Status.PASS if near else Status.PARTIAL
    return Outcome(
        status, f"{len(checks)} version comparison(s), {len(near)} on a model-loading path", evidence
    )


def _is_schema(cls: ClassDef) -> bool:
    validated = cls.is_pydantic or any(b.startswith(("pandera.", "marshmallow.")) for b in cls.bases)
    return validated and matches(cls.name.rsplit(".", 1)[-1], SCHEMA_NAMES)


def _imports_any(f: FileFacts, packages: frozenset[str]) -> bool:
    return any(i.target.split(".")[0] in packages for i in f.imports)


def _is_validation(call: Call, schema_names: set[str]) -> bool:
    if call.target.startswith(VALIDATORS) or call.target.rsplit(".", 1)[-1].startswith("validate"):
        return True
    return any(call.target == q or call.target.startswith(q + ".") for q in schema_names)


def _framework_validations(serving: list[FileFacts], schema_names: set[str]) -> list[Call]:
    """FastAPI (and litserve/bentoml) validate a request body annotated with a pydantic model themselves:
    a schema model defined in or imported by such an app counts as validated input."""
    out = []
    for f in serving:
        if not _imports_any(f, VALIDATING_FRAMEWORKS):
            continue
        used = {q for q in schema_names if q.rsplit(".", 1)[0] == f.module}
        used |= {f"{i.target}.{n}" for i in f.imports for n in i.names} & schema_names
        out += [Call(f.path, f.module, "", q, 1, False) for q in sorted(used)]
    return out


def _schemas(inp: AuditInput) -> list[ClassDef]:
    production = {f.path for f in inp.production}
    return [c for c in inp.classes if c.path in production and _is_schema(c)]


def _boundary(inp: AuditInput) -> list[FileFacts]:
    """Where data enters production code: data, serving and training modules and the entry points."""
    entries = {f.path for f in inp.entry_points}
    found = [f for f in inp.production if {"data", "serve", "train"} & set(f.roles) or f.path in entries]
    return found or inp.production


@check(
    "inputs-validated",
    AREA,
    "Inputs are validated by a schema at the boundary",
    weight=2,
    fix="Validate incoming rows/requests with a schema model (a pydantic row or request model, pandera) where "
    "data enters: the loader and the serving endpoint.",
)
def inputs_validated(inp: AuditInput, threshold: float) -> Outcome:
    if not inp.production:
        return na("no production code")
    schemas = _schemas(inp)
    schema_names = {s.qualname for s in schemas}
    validations = [c for c in inp.calls(_boundary(inp)) if _is_validation(c, schema_names)]
    serving = _serving(inp)
    if not serving and not validations:
        return na("no serving code (an API or app taking requests) and no validation of loaded data")
    validations += _framework_validations(serving, schema_names)
    summary = f"{len(schemas)} schema model(s), {len(validations)} validation call(s) at the boundary"
    status = Status.PASS if validations else Status.PARTIAL if schemas else Status.FAIL
    return Outcome(status, summary, _validation_evidence(schemas, validations))


def _serving(inp: AuditInput) -> list[FileFacts]:
    return [f for f in inp.production if "serve" in f.roles or _imports_any(f, WEB_FRAMEWORKS)]


def _validation_evidence(schemas: list[ClassDef], validations: list[Call]) -> list[Evidence]:
    evidence = [at(f"schema model `{s.name}`", s.path, s.line) for s in schemas[:6]]
    return evidence + [at(f"validates: {c.target.lstrip('.')}", c.path, c.line) for c in validations[:8]]


@check(
    "previous-artifact-loadable",
    AREA,
    "An adapter keeps a previous artifact version loadable",
    weight=1,
    fix="When the artifact layout changes, add an adapter that upgrades the previous version on load, with a "
    "test on a saved old artifact.",
)
def previous_artifact_loadable(inp: AuditInput, threshold: float) -> Outcome:
    if not loads(inp):
        return na("no model is loaded in production code")
    adapters = [d for d in defs_of(inp, inp.production) if _ADAPTER.search(d.qualname)]
    evidence = [at(f"adapter `{d.qualname}`", d.path, d.line) for d in adapters[:8]]
    if adapters:
        return Outcome(Status.PASS, f"{len(adapters)} upgrade/adapter function(s)", evidence)
    if len(_version_checks(inp)) >= 2:
        return Outcome(Status.PARTIAL, "versions are compared but no adapter upgrades an older artifact")
    return Outcome(Status.FAIL, "no adapter for older artifact versions")
