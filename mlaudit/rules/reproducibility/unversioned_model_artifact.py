"""MLA703 unversioned-model-artifact: a trained model saved with nothing that says what it is.

A save is ``joblib.dump``/``pickle.dump``/``dill.dump``/``cloudpickle.dump``/``torch.save`` of a model-like
object (a name whose words say model: ``model``, ``clf``, ``best_estimator``, ``self.net``, ``pipe``, ...,
a ``*.state_dict()`` of one, a local built by an estimator class, or a dict holding one), ``<model>.save``/
``save_model``/``save_pretrained``, or ``mlflow.<flavour>.log_model``/``save_model`` without
``signature=``/``input_example=``/``registered_model_name=``. It is versioned, and quiet, when the same
function (or the script's module level) also records what the artifact is: a mapping with a
``version``/``schema`` key (``{"model": m, "schema_version": 2}``, ``meta["model_version"] = ...``), a
keyword naming a version or schema, a name such as ``MODEL_VERSION`` (a versioned path), a sidecar metadata
file (``json.dump``, ``yaml.dump``, ``json.dumps``, ``config.to_json_file``), or a registry or tracking call
(``mlflow.register_model``, ``mlflow.log_artifact``, ``wandb.log_artifact``, ``create_model_version``).

It is versioned by its run, and quiet, when it is saved inside a stage of an orchestrator that stores
artifacts per run (a Metaflow ``@step`` of a ``FlowSpec``, a ZenML ``@step``: ``RUN_VERSIONED_STAGES``), or
when the function names the tracked run's id (``run_id``, ``current.run_id``: ``model-{run_id}``).

Not release artifacts either, and quiet: a notebook saved as ``.py`` (the notebook's code, an experiment,
like the notebook), and a file that trains on synthetic data it generates (``sklearn.datasets.make_*``:
a demo or a CLI example, whose model nobody deploys), and a save whose artifact the same file loads back
(same literal path or same variable: ``torch.save(net, "net.pkl")`` ... ``torch.load("net.pkl")``) in a file
that runs itself (a main guard, or its own functions called at module level): a save/load round trip, a
tutorial or a scratch file, not an artifact published for others.

Training checkpoints are not release artifacts: ``torch.save``/``.save``/``save_pretrained`` inside a loop,
and saves whose object, path or dict keys speak of checkpoints (``ckpt``, ``checkpoint``, ``epoch``,
``step``, ``optimizer``) are left alone (resuming next week needs the code of this week anyway).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.facts.frameworks import RUN_VERSIONED_STAGES
from mlaudit.facts.functions import string_value
from mlaudit.facts.ml_apis import canonical
from mlaudit.facts.ml_repro import (
    CHECKPOINT_WORDS,
    ESTIMATOR_PACKAGES,
    LOG_MODEL_VERSIONED_KEYWORDS,
    METADATA_METHODS,
    METADATA_WRITERS,
    METADATA_KEYS,
    MLFLOW_LOG_MODEL,
    MODEL_WORDS,
    NOT_ESTIMATOR_PREFIXES,
    PICKLE_DUMPS,
    REGISTRY_CALLS,
    REGISTRY_METHODS,
    REGISTRY_WORDS,
    SAVE_METHODS,
    SIDECAR_WORDS,
    words,
)
from mlaudit.facts.names import dotted
from mlaudit.facts.notebook_export import is_notebook_export
from mlaudit.model import Severity

_VERSION_WORDS = frozenset({"version", "versions", "schema", "signature"})
_METADATA_NAME_WORDS = frozenset({"metadata", "manifest"})
_SIDECAR_SUFFIXES = (".json", ".yaml", ".yml", ".toml")
_MLFLOW_SAVES = frozenset({MLFLOW_LOG_MODEL, "save_model"})
_NOT_MODEL_WORDS = frozenset({"tokenizer", "processor", "config", "optimizer", "scheduler", "scaler"})
_RUN_IDS = frozenset({"run_id", "runid", "run_uuid"})
"""The identifier of the tracked run (Metaflow ``current.run_id``, an MLflow run's ``run_id``): an artifact
named or saved beside it is traced to the run that produced it, whose record holds code and parameters."""
_SYNTHETIC_DATA = ("sklearn.datasets.", "make_")
"""Generators of synthetic data sets (``make_classification``, ``make_regression``, ``make_blobs``, ...)."""


_LOADERS = frozenset({"load", "load_model", "load_weights", "from_pretrained", "load_learner"})
"""Calls that load an artifact from their first argument (``torch.load(p)``, ``keras.models.load_model(p)``)."""


@dataclass(slots=True)
class _Save:
    node: cst.Call
    api: str
    target: str | None = None
    """Where it is saved: ``"'net.pkl'"`` for a literal path, ``"MODEL_PATH"`` for a name (see ``_artifact``)."""


def _artifact(node: cst.BaseExpression | None) -> str | None:
    """A literal path (``"net.pkl"``) or a plain name (``MODEL_PATH``), also through ``open(path, mode)``."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "open" and node.args:
        return _artifact(node.args[0].value)
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return repr(value) if isinstance(value, str) else None
    if isinstance(node, cst.Name):
        return node.value
    return None


def _argument(node: cst.Call, position: int, *keywords: str) -> cst.BaseExpression | None:
    positional = [a for a in node.args if a.keyword is None and not a.star]
    if len(positional) > position:
        return positional[position].value
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    return None


@dataclass(slots=True)
class _Scope:
    name: str
    saves: list[_Save] = field(default_factory=list)
    versioned: bool = False
    loops: int = 0
    estimators: set[str] = field(default_factory=set)
    """Locals assigned from an estimator class (``clf = RandomForestClassifier(...)``)."""


def _synthetic_data(name: str | None) -> bool:
    """``sklearn.datasets.make_classification`` and the other generators of synthetic data sets."""
    package, generator = _SYNTHETIC_DATA
    return name is not None and name.startswith(package) and name.rpartition(".")[2].startswith(generator)


def _has_version_word(text: str) -> bool:
    return bool(_VERSION_WORDS & set(words(text)))


def _last_identifier(node: cst.BaseExpression) -> str | None:
    """``model`` for ``model``, ``self.model``, ``models["best"]``; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript):
        return _last_identifier(node.value)
    return None


def _mentions(node: cst.CSTNode, vocabulary: frozenset[str]) -> bool:
    """A name, attribute or string in ``node`` with a word of ``vocabulary`` (``ckpt_{epoch}.pt``,
    ``metadata.json``)."""
    finder = _WordFinder(vocabulary)
    node.visit(finder)
    return finder.found


def _mentions_checkpoint(node: cst.CSTNode) -> bool:
    return _mentions(node, CHECKPOINT_WORDS)


class _WordFinder(cst.CSTVisitor):
    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self.found = False

    def _see(self, text: str) -> bool:
        self.found = self.found or bool(self.vocabulary & set(words(text)))
        return False

    def visit_Name(self, node: cst.Name) -> bool:
        return self._see(node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        return self._see(node.value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> bool:
        return self._see(node.value)


class _NumberedPath(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        value = node.evaluated_value
        self.found = self.found or (isinstance(value, str) and value.strip("/").isdigit())
        return False


def _numbered_path(node: cst.Call) -> bool:
    """A path component that is a version number (``"00000001"``, the TF Serving layout)."""
    finder = _NumberedPath()
    for arg in node.args[1:] if node.args else ():
        arg.visit(finder)
    if isinstance(node.func, cst.Attribute) and node.args:
        node.args[0].visit(finder)
    return finder.found


def _dumped_object(node: cst.Call) -> cst.BaseExpression | None:
    """The object a ``dump``/``save`` serialises: its first positional argument or ``obj=``/``value=``."""
    for arg in node.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if arg.keyword is not None and arg.keyword.value in ("obj", "value"):
            return arg.value
    return None


class UnversionedModelArtifact(FileRule):
    code = "MLA703"
    name = "unversioned-model-artifact"
    category = "reproducibility"
    severity = Severity.WARNING
    # Opt-in: independent reviews of real ML repositories found it right on 1 of 3 after the fixes (4 of 13 before): saves in tutorials, demos and deployment exports;
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = (
        "Model saved with no version or schema beside it: write a metadata file (model and feature-schema "
        "version) next to it, or register it"
    )

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        self._scopes: list[_Scope] = [_Scope("")]
        self._synthetic = False
        self._closed: list[_Scope] = []
        self._loaded: set[str] = set()
        """Artifacts the file loads back (``_artifact`` of each loader's first argument)."""
        self._runs_itself = False
        """A main guard, or the file's own function called at module level: the file is run, not imported."""

    @property
    def _scope(self) -> _Scope:
        return self._scopes[-1]

    # --- scopes and loops ---------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self.ctx.function
        self._scopes.append(_Scope(scope.qualname if scope is not None else node.name.value))
        if self._run_versioned_stage(node):
            self._scope.versioned = True  # a Metaflow/ZenML step: the run records what it produced

    def _run_versioned_stage(self, node: cst.FunctionDef) -> bool:
        """A stage of an orchestrator that versions its outputs by run (``RUN_VERSIONED_STAGES``)."""
        for decorator in node.decorators:
            expr = decorator.decorator
            expr = expr.func if isinstance(expr, cst.Call) else expr
            if self.ctx.resolve(expr) in RUN_VERSIONED_STAGES:
                return True
        return False

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._closed.append(self._scopes.pop())

    def leave_Module(self, original_node: cst.Module) -> None:
        for scope in [*self._closed, self._scopes[0]]:
            self._decide(scope)
        self.findings.sort(key=lambda f: (f.span.line, f.span.col))
        if self.findings and (self._synthetic or is_notebook_export(self.ctx.text)):
            self.findings.clear()  # a demo on generated data, or a notebook saved as `.py`

    def visit_For(self, node: cst.For) -> None:
        self._scope.loops += 1

    def leave_For(self, original_node: cst.For) -> None:
        self._scope.loops -= 1

    def visit_While(self, node: cst.While) -> None:
        self._scope.loops += 1

    def leave_While(self, original_node: cst.While) -> None:
        self._scope.loops -= 1

    # --- evidence of a version ----------------------------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        if not self._scope.versioned and (
            _has_version_word(node.value)
            or _METADATA_NAME_WORDS & set(words(node.value))
            or node.value.lower() in _RUN_IDS
        ):
            self._scope.versioned = True  # MODEL_VERSION, schema_version, __version__, METADATA_FILE, run_id

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        text = node.value.strip("\"'").lower()
        if text.endswith(_SIDECAR_SUFFIXES) and SIDECAR_WORDS & set(words(text)):
            self._scope.versioned = True  # open(out / "metadata.json", "w")

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key is not None and (_has_version_word(key) or key.lower() in METADATA_KEYS):
                    self._scope.versioned = True  # {"model": m, "schema_version": 2}, {"model": m, "args": a}

    def visit_Subscript(self, node: cst.Subscript) -> None:
        for element in node.slice:
            index = element.slice
            if isinstance(index, cst.Index):
                key = string_value(index.value)
                if key is not None and _has_version_word(key):
                    self._scope.versioned = True  # meta["model_version"] = ...

    def visit_Assign(self, node: cst.Assign) -> None:
        if (
            len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and isinstance(node.value, cst.Call)
        ):
            resolved = self.ctx.resolve(node.value.func) or ""
            last = resolved.rpartition(".")[2]
            estimator = resolved.partition(".")[0] in ESTIMATOR_PACKAGES and not resolved.startswith(NOT_ESTIMATOR_PREFIXES)
            if estimator and last[:1].isupper():
                self._scope.estimators.add(node.targets[0].target.value)

    # --- the calls --------------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if any(a.keyword is not None and _has_version_word(a.keyword.value) for a in node.args):
            self._scope.versioned = True  # ModelCard(model_version=...), save(..., version=v)
        func = node.func
        resolved = self.ctx.resolve(func)
        name = canonical(resolved) if resolved else None
        if _synthetic_data(name):
            self._synthetic = True  # the model is trained on generated data
        self._note_run_and_load(node, name)
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if not self._evidence(node, name, method or (func.value if isinstance(func, cst.Name) else None)):
            self._save(node, name, method)

    def _note_run_and_load(self, node: cst.Call, name: str | None) -> None:
        ctx = self.ctx
        if not ctx.functions and not ctx.classes:
            own = f"{ctx.module}." if ctx.module else ""
            if ctx.main_guard or (name is not None and own and name.startswith(own)):
                self._runs_itself = True
        last = name.rpartition(".")[2] if name else None
        if last is None and isinstance(node.func, cst.Attribute):
            last = node.func.attr.value
        if last in _LOADERS:
            loaded = _artifact(_argument(node, 0, "f", "path", "filepath", "filename", "file"))
            if loaded is not None:
                self._loaded.add(loaded)

    def _evidence(self, node: cst.Call, name: str | None, last: str | None) -> bool:
        """Records a registry call or a sidecar metadata write; True when the call is one of those."""
        if name in REGISTRY_CALLS or last in REGISTRY_METHODS | METADATA_METHODS:
            self._scope.versioned = True
            return True
        if name in METADATA_WRITERS:
            self._scope.versioned = self._scope.versioned or _mentions(node, SIDECAR_WORDS)
            return True
        return False

    def _save(self, node: cst.Call, name: str | None, method: str | None) -> None:
        if _numbered_path(node):
            return  # model.save(os.path.join(export_dir, "0001")): a TF Serving version directory
        func = node.func
        if name is not None and name.startswith("mlflow.") and name.rpartition(".")[2] in _MLFLOW_SAVES:
            self._mlflow(node, name)
        elif name in PICKLE_DUMPS:
            self._dump(node, str(name))
        elif method in SAVE_METHODS and isinstance(func, cst.Attribute) and not self._module_function(name):
            self._method_save(node, func, str(method))

    def _module_function(self, name: str | None) -> bool:
        """``np.save``, ``pickle.dump``: a module's function, not a method of a model."""
        if name is None:
            return False
        root = name.partition(".")[0]
        own = self.ctx.names.module.partition(".")[0] if self.ctx.names.module else ""
        return root != own and root in self.ctx.names.imported_packages()

    def _mlflow(self, node: cst.Call, name: str) -> None:
        keywords = {a.keyword.value for a in node.args if a.keyword is not None}
        if keywords & (LOG_MODEL_VERSIONED_KEYWORDS | {"**"}) or any(a.star == "**" for a in node.args):
            self._scope.versioned = True
            return
        self._scope.saves.append(_Save(node, name))

    def _dump(self, node: cst.Call, name: str) -> None:
        obj = _dumped_object(node)
        if obj is None or not self._model_like(obj) or _mentions_checkpoint(obj):
            return
        if name == "torch.save" and (self._scope.loops or _mentions_checkpoint(node)):
            return  # a training checkpoint
        self._scope.saves.append(_Save(node, name, _artifact(_argument(node, 1, "f", "file", "filename"))))

    def _method_save(self, node: cst.Call, func: cst.Attribute, method: str) -> None:
        receiver = _last_identifier(func.value)
        if receiver is None:
            return
        receiver_words = set(words(receiver))
        model = bool(receiver_words & MODEL_WORDS) or receiver in self._scope.estimators
        if method == "save_model" and "trainer" in receiver_words:
            model = True
        if not model or receiver_words & _NOT_MODEL_WORDS:
            return
        if self._scope.loops or _mentions_checkpoint(node):
            return
        target = _artifact(_argument(node, 0, "filepath", "path", "save_directory", "fname"))
        self._scope.saves.append(_Save(node, f"{receiver}.{method}", target))

    def _model_like(self, obj: cst.BaseExpression) -> bool:
        if isinstance(obj, cst.Call):
            func = obj.func  # `model.state_dict()`
            return isinstance(func, cst.Attribute) and func.attr.value == "state_dict" and self._model_like(func.value)
        if isinstance(obj, cst.Dict):
            return any(isinstance(e, cst.DictElement) and self._model_like(e.value) for e in obj.elements)
        return self._model_name(obj)

    def _model_name(self, obj: cst.BaseExpression) -> bool:
        """``model``, ``self.clf``, ``models["best"]``, or a local built by an estimator class."""
        ident = _last_identifier(obj)
        if ident is None or set(words(ident)) & _NOT_MODEL_WORDS:
            return False
        return bool(set(words(ident)) & MODEL_WORDS) or (isinstance(obj, cst.Name) and ident in self._scope.estimators)

    # --- decision ---------------------------------------------------------------------------------------
    def _decide(self, scope: _Scope) -> None:
        if self._runs_itself:  # a save/load round trip in the file's own run: not a published artifact
            scope.saves = [s for s in scope.saves if s.target is None or s.target not in self._loaded]
        if scope.versioned or not scope.saves:
            return
        owner = set(words(scope.name)) | set(words(self.ctx.module.rpartition(".")[2]))
        if owner & (CHECKPOINT_WORDS | REGISTRY_WORDS):
            return  # `Checkpoint.save_model`, `Registry.put_model`: checkpoints, or the store itself
        first = scope.saves[0]
        span = self.ctx.position(first.node)
        where = f" in `{scope.name}`" if scope.name else ""
        more = len(scope.saves) - 1
        extra = f" (and {more} more save{'s' if more > 1 else ''})" if more else ""
        message = (
            f"model saved with `{first.api}`{where}{extra} and no version or schema recorded beside it: "
            "write a metadata file (model version, feature schema, library versions) next to it, or "
            "register it in a model registry"
        )
        related = [
            RelatedSite(self.ctx.path, self.ctx.position(s.node), f"`{s.api}` without a version")
            for s in scope.saves[1:]
        ]
        self.findings.append(
            RawFinding(self.code, self.ctx.path, span, message, self.ctx.snippet(span), related)
        )
