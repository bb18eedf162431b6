"""Model contracts: versioned artifacts, loaders that check the version, validated inputs, old artifacts
still loadable."""

from __future__ import annotations

import re

from mlaudit.audit.checks.base import Outcome, at, check, from_findings, na
from mlaudit.audit.context import AuditInput, Call, defs_of, matches
from mlaudit.audit.model import Status

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
    findings = inp.findings("MLA703") if "MLA703" in inp.rule_codes else []
    constants = [(f, name) for f in inp.production for name in inp.audit(f).get("constants", ())]
    evidence = [at(f"version constant `{name}`", f.path, 1) for f, name in constants[:8]]
    evidence += from_findings(findings)
    saved = saves(inp)
    summary = f"{len(saved)} model save site(s); {len(constants)} version constant(s)"
    if "MLA703" in inp.rule_codes:
        summary += f"; {len(findings)} unversioned save(s) (MLA703)"
    if findings:
        return Outcome(Status.PARTIAL if constants else Status.FAIL, summary, evidence)
    if constants:
        return Outcome(Status.PASS, summary, evidence)
    described = [c for c in saved if c.target.startswith(SELF_DESCRIBING)]
    if saved and len(described) == len(saved):
        evidence += [
            at(f"{c.target.lstrip('.')} writes metadata with the model", c.path, c.line)
            for c in described[:8]
        ]
        return Outcome(Status.PASS, summary + "; every save writes the format's own metadata", evidence)
    evidence += [at(f"saved without a version: {c.target.lstrip('.')}", c.path, c.line) for c in saved[:8]]
    return Outcome(Status.FAIL, summary, evidence)


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
    load_files = {c.path for c in loads(inp)}
    loaders = {f"{c.module}.{c.scope}" for c in loads(inp)}
    evidence = [at(f"version comparison in `{scope}`", p, line) for p, _, scope, line in checks[:10]]
    evidence += [at(f"loads a model: {c.target.lstrip('.')}", c.path, c.line) for c in loads(inp)[:5]]
    if not checks:
        return Outcome(
            Status.FAIL, f"{len(load_files)} file(s) load models; no version is compared", evidence
        )
    loading = _callers(inp, loaders)
    near = [
        p for p, module, scope, _ in checks
        if p in load_files or _callers(inp, {f"{module}.{scope}"}) & loading
    ]  # fmt: skip
    status = Status.PASS if near else Status.PARTIAL
    return Outcome(
        status, f"{len(checks)} version comparison(s), {len(near)} on a model-loading path", evidence
    )


@check(
    "inputs-validated",
    AREA,
    "Inputs are validated by a schema at the boundary",
    weight=2,
    fix="Validate incoming rows/requests with a schema model (a pydantic row or request model, pandera) where "
    "data enters: the loader and the serving endpoint.",
)
def inputs_validated(inp: AuditInput, threshold: float) -> Outcome:
    boundary = [
        f for f in inp.production if {"data", "serve", "train"} & set(f.roles) or f in inp.entry_points
    ]
    if not inp.production:
        return na("no production code")
    schemas = [
        c for c in inp.classes
        if c.path in {f.path for f in inp.production}
        and (c.is_pydantic or any(b.startswith(("pandera.", "marshmallow.")) for b in c.bases))
        and matches(c.name.rsplit(".", 1)[-1], SCHEMA_NAMES)
    ]  # fmt: skip
    schema_names = {s.qualname for s in schemas}
    validations = [
        c for c in inp.calls(boundary or inp.production)
        if c.target.startswith(VALIDATORS) or c.target.rsplit(".", 1)[-1].startswith("validate")
        or any(c.target == q or c.target.startswith(q + ".") for q in schema_names)
    ]  # fmt: skip
    serving = [
        f for f in inp.production
        if "serve" in f.roles or any(i.target.split(".")[0] in WEB_FRAMEWORKS for i in f.imports)
    ]  # fmt: skip
    if not serving and not validations:
        return na("no serving code (an API or app taking requests) and no validation of loaded data")
    # FastAPI (and litserve/bentoml) validate a request body annotated with a pydantic model themselves.
    validating_apps = [
        f for f in serving if any(i.target.split(".")[0] in VALIDATING_FRAMEWORKS for i in f.imports)
    ]
    for f in validating_apps:
        used = {q for q in schema_names if q.rsplit(".", 1)[0] == f.module}
        used |= {f"{i.target}.{n}" for i in f.imports for n in i.names} & schema_names
        validations += [Call(f.path, f.module, "", q, 1, False) for q in sorted(used)]
    evidence = [at(f"schema model `{s.name}`", s.path, s.line) for s in schemas[:6]]
    evidence += [at(f"validates: {c.target.lstrip('.')}", c.path, c.line) for c in validations[:8]]
    summary = f"{len(schemas)} schema model(s), {len(validations)} validation call(s) at the boundary"
    if validations:
        return Outcome(Status.PASS, summary, evidence)
    return Outcome(Status.PARTIAL if schemas else Status.FAIL, summary, evidence)


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
