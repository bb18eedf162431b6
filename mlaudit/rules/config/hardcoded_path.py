"""MLA303 hardcoded-path: a literal data/artifact path passed to an I/O call outside configuration.

A string literal is a data/artifact path when it has a data or model file extension, is absolute
(``/data/x``, ``C:\\data``), starts with ``~/``, or is a storage URI (``s3://``, ``gs://``, ``hdfs://``,
``abfs://``, ...). Not paths: glob patterns (``data/*.csv``), platform paths (``/dev/null``, ``/proc/...``,
``/tmp/...``, ``/usr/share/...``, ``/etc/...``), configuration files (``config.json``, ``configs/train.yaml``,
``params.yaml``: loading the configuration from a fixed name is how it enters) and public web addresses.

It is reported when it is the path argument of an I/O call from the API table (``pd.read_csv("data/train.csv")``),
of a method matched by the unknown-receiver heuristic (``df.to_parquet("out.parquet")``), or the first literal
of a path built in place (``open(Path("/data") / name)``, ``np.load(os.path.join("/models", f))``); and when it
is bound to a local variable of a function, bound once, that is then passed to an I/O call (``path =
"data/train.csv"; pd.read_csv(path)``): reported at the literal, the line to change, naming the call. Paths
built from values (``os.path.join(cfg.data_dir, "train.csv")``, ``DATA_DIR / "train.csv"``) are fine: that is
configuration. One finding per literal per file, the other uses in ``related``. Quiet in config modules and
config models, figures (``savefig``), files a tool runs (``setup.py``, cookiecutter ``hooks/``, a locustfile)
and notebooks saved as ``.py``; in a script's top-level code and its entry points (``fire.Fire(train)``: the
top level moved into a function); on archive members (a literal the file also passes to ``zf.extract``) and
label maps (``imagenet_classes.txt``: the class names shipped with the code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst
from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.facts import frameworks as fw
from mlaudit.facts.functions import argument, classify_call, string_value
from mlaudit.facts.hyperparams import ConfigScope
from mlaudit.facts.ml_apis import DATA_PACKAGES, MODEL_LOAD, NETWORK, READ, WRITE, Api
from mlaudit.facts.model import ScriptFact
from mlaudit.facts.notebook_export import is_notebook_export
from mlaudit.facts.script_scan import entry_point_names, scan_context
from mlaudit.model import Severity
from mlaudit.project.scripts import matches_path
from mlaudit.rules.config import _path_causes as causes

_EXTENSION_WORDS = (
    ".csv .tsv .parquet .pq .json .jsonl .ndjson .pkl .pickle .joblib .pt .pth .ckpt .h5 .hdf5 .hdf .onnx "
    ".npy .npz .yaml .yml .txt .feather .arrow .avro .orc .xlsx .xls .tfrecord .tfrecords .safetensors .bin "
    ".pb .mat .sav .db .sqlite .sqlite3 .zip .gz .tgz .bz2 .xz .zst .msgpack .png .jpg .jpeg .wav"
)
DEFAULT_EXTENSIONS: tuple[str, ...] = tuple(_EXTENSION_WORDS.split())
_URI = re.compile(r"^(s3|s3a|s3n|gs|gcs|hdfs|abfs|abfss|az|adl|wasb|wasbs|dbfs|file)://", re.IGNORECASE)
_WINDOWS_ABS = re.compile(r"^[A-Za-z]:[\\/]")
# Platform paths: devices, the kernel's views, scratch space and the system's own files are not the
# project's data (`/dev/null`, `/proc/meminfo`, `/tmp/x`, `/usr/share/dict/words`, `/etc/hosts`).
_SYSTEM = (
    "/dev/",
    "/proc/",
    "/sys/",
    "/tmp/",
    "/var/tmp/",
    "/run/",
    "/var/run/",
    "/usr/",
    "/etc/",
    "/bin/",
    "/sbin/",
    "/lib/",
    "/lib64/",
)
_SYSTEM_EXACT = frozenset({"/dev", "/proc", "/sys", "/tmp", "/var/tmp"})
# A public web address names a published resource (a model archive on TF-Hub, a data set on a mirror),
# like a model hub id: it is not a path into the project's storage.
_WEB = re.compile(r"^https?://", re.IGNORECASE)
_GLOB = re.compile(r"[*?]|\[[^\]]*\]")
# Configuration files: loading the config from a fixed name is how configuration enters the program.
_CONFIG_EXTENSIONS = (".yaml", ".yml", ".json", ".toml", ".ini", ".cfg", ".conf", ".env")
_CONFIG_WORDS = re.compile(r"(config|conf|settings|params|hparams|hyperparam)", re.IGNORECASE)
# Label maps: the class names of a model's outputs (`imagenet_classes.txt`, `synset_words.txt`,
# `categories.json`, `id2label.json`), a resource shipped with the code that uses them (next to a service in
# its image), not a data set or an artifact whose location varies. Relative names only: an absolute path or a
# bucket is still a location.
_LABEL_MAP = re.compile(
    r"(^|[_\-.])(classes|class_names|class_index|categories|synsets?|synset_words|label_?map|"
    r"label_names|id2label|idx2label|label2id)([_\-.]|$)",
    re.IGNORECASE,
)
_LABEL_MAP_EXTENSIONS = (".txt", ".json")
# Figures: a plot written to disk is a picture, not a data set or a model.
_FIGURE_WRITERS = frozenset({"Figure.savefig", "matplotlib.pyplot.savefig"})
_PATH_KINDS = frozenset({READ, WRITE, MODEL_LOAD, NETWORK})
# Methods of `zipfile.ZipFile`/`tarfile.TarFile` whose first argument is a member path inside the archive.
_ARCHIVE_MEMBER_METHODS = frozenset({"extract", "extractfile", "getmember", "getinfo"})
_BUILDERS = frozenset(
    {
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "os.path.join",
        "os.path.expanduser",
        "os.path.abspath",
        "upath.UPath",
        "builtins.str",
    }
)


class Options(RuleOptions):
    extend_extensions: tuple[str, ...] = ()
    """More file extensions that make a literal a data/artifact path (e.g. ``[".tsv.gz", ".lance"]``)."""


def _is_location(text: str) -> bool:
    """Absolute (not a platform path), home-relative, or a storage URI."""
    if _URI.match(text) or text.startswith("~/") or _WINDOWS_ABS.match(text):
        return True
    return (
        len(text) > 1
        and text.startswith("/")
        and not text.startswith(_SYSTEM)
        and text.rstrip("/") not in _SYSTEM_EXACT
        and not text.startswith("//")
    )


def is_platform_path(text: str) -> bool:
    return text.startswith(_SYSTEM) or text.rstrip("/") in _SYSTEM_EXACT


def is_config_file(text: str) -> bool:
    """``config.json``, ``configs/train.yaml``, ``params.yaml``, ``settings.toml``: the configuration itself."""
    lowered = text.lower()
    return lowered.endswith(_CONFIG_EXTENSIONS) and bool(_CONFIG_WORDS.search(lowered.replace("\\", "/")))


def is_label_map(text: str) -> bool:
    """``imagenet_classes.txt``, ``./synset_words.txt``, ``assets/categories.json``: the class names of a
    model's outputs, relative to the code that ships them."""
    name = text.replace("\\", "/").rpartition("/")[2]
    stem, dot, ext = name.rpartition(".")
    return bool(dot) and f".{ext.lower()}" in _LABEL_MAP_EXTENSIONS and bool(_LABEL_MAP.search(stem))


def _has_extension(text: str, extensions: frozenset[str]) -> bool:
    tail = text.replace("\\", "/").rstrip("/").rpartition("/")[2].lower().lstrip(".")  # `.env`: a dotfile
    dot = tail.rfind(".")
    return dot > 0 and tail[dot:] in extensions


def looks_like_path(text: str, extensions: frozenset[str]) -> bool:
    """A data/artifact path: a location (absolute, ``~/``, URI) or a file with a data extension; not a glob
    pattern (``data/*.csv`` selects files, it names none), a platform path or a configuration file."""
    if not text or len(text) > 300 or any(c in text for c in " \n\t\r"):
        return False
    if _GLOB.search(text) or is_platform_path(text) or is_config_file(text) or _WEB.match(text):
        return False
    if _is_location(text):
        return True
    return _has_extension(text, extensions) and not is_label_map(text)


def _joined(values: list[str | None]) -> str | None:
    """Literal parts joined with ``/``; just the head when a later part is not a literal."""
    head = values[0] if values else None
    literals = [v for v in values if v is not None]
    return "/".join(literals) if head is not None and len(literals) == len(values) else head


def _divide_parts(node: cst.BinaryOperation) -> list[cst.BaseExpression]:
    """``a / b / c`` -> ``[a, b, c]``."""
    parts: list[cst.BaseExpression] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.BinaryOperation) and isinstance(current.operator, cst.Divide):
        parts.append(current.right)
        current = current.left
    parts.append(current)
    return parts[::-1]


ML_PACKAGES = DATA_PACKAGES | frozenset(
    {
        "pickle",
        "joblib",
        "cloudpickle",
        "dill",
        "h5py",
        "zarr",
        "tables",
        "onnx",
        "onnxruntime",
        "safetensors",
        "fasttext",
        "gensim",
        "mlflow",
        "pyspark",
        "duckdb",
        "cv2",
        "PIL",
        "imageio",
        "skimage",
        "soundfile",
        "librosa",
        "torchvision",
        "torchaudio",
        "timm",
        "lightning",
        "pytorch_lightning",
        "accelerate",
        "peft",
        "sentence_transformers",
        "spacy",
        "nltk",
        "statsmodels",
        "tensorflow_hub",
        "fastparquet",
        "deltalake",
    }
)


@dataclass
class _Frame:
    """One function's local names: how often each is bound, which were bound to a string literal, and
    the first I/O call each is passed to."""

    scope: str = ""
    bindings: dict[str, int] = field(default_factory=dict)
    literals: dict[str, tuple[str, cst.BaseExpression]] = field(default_factory=dict)
    uses: dict[str, tuple[str, cst.Call]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Site:
    node: cst.CSTNode
    literal: str
    what: str
    scope: str
    """The outermost enclosing function's qualname; empty at module level."""


def _groups(sites: list[_Site]) -> list[list[_Site]]:
    """Sites linked by a shared literal or a shared function, in first-seen order."""
    return [[sites[i] for i in group] for group in causes.group_causes((s.literal, s.scope) for s in sites)]


def _message(first: _Site, rest: list[_Site]) -> str:
    advice = "take it from configuration (a config module, settings model or CLI argument)"
    others = list(dict.fromkeys(s.literal for s in rest if s.literal != first.literal))
    if not others:
        uses = len(rest)
        more = f" (and {uses} more use{'s' if uses > 1 else ''} in this file)" if uses else ""
        return f"{first.what}{more}: {advice}"
    scopes = {s.scope for s in (first, *rest)}
    where = f" in `{first.scope}`" if len(scopes) == 1 and first.scope else " in this file"
    shown = ", ".join(repr(t) for t in others[:3]) + (
        f" and {len(others) - 3} more" if len(others) > 3 else ""
    )
    plural = "s" if len(others) > 1 else ""
    return f"{first.what}, and {len(others)} more hardcoded path{plural}{where} ({shown}): take them from configuration (a config module, settings model or CLI argument)"


class HardcodedPath(FileRule[Options]):
    code = "MLA303"
    name = "hardcoded-path"
    category = "config"
    severity = Severity.WARNING
    # Opt-in: on real ML repositories 14 of 18 findings were right after the fixes (10 of 20 before, by
    # independent reviewers): Kaggle input layouts and demo outputs; below the 90% bar. See after.md.
    default_enabled = False
    # ML code: a file that imports a data, model or serialisation library. A CI or ops helper that imports
    # none (`json.dump(data, open("test.json", "w"))` in a workflow step) names its own files.
    requires_imports = ML_PACKAGES
    message = (
        "Hardcoded data path: take it from configuration (a config module, settings model or CLI argument)"
    )

    def __init__(self, ctx: FileContext, options: Options) -> None:
        super().__init__(ctx, options)
        self.extensions = frozenset(e.lower() for e in (*DEFAULT_EXTENSIONS, *options.extend_extensions))
        self.config = ConfigScope(ctx)
        # Config modules; files a tool runs from a fixed folder (`setup.py` reading `requirements.txt`,
        # cookiecutter hooks); a notebook saved as `.py` (notebook code, like the notebook itself).
        self._quiet = (
            ctx.is_config_module
            or matches_path(ctx.path, fw.TOOL_RUN_FILES)  # a locustfile: a load test with its sample payloads
            or is_notebook_export(ctx.text)
        )
        # A script's top-level code (its main guard, its inline work) is where it is configured by editing:
        # `gzip.open("./data/enwik8.gz")` in a research training script is its settings, like its constants.
        # A pure script (inline work, no main guard: a research `main.py` run top to bottom) is configured by
        # editing it as a whole, its functions included.
        # Its entry points (the functions its main guard calls, `fire.Fire(train)`, a `@click.command`) are
        # that top-level code moved into a function: `train()` opening `./data/enwik8.gz` is the same setting.
        scan = None if self._quiet else scan_context(ctx)
        self._script = scan is not None and (scan.main_guard or scan.inline_work)
        self._quiet = self._quiet or (scan is not None and scan.inline_work and not scan.main_guard)
        self._entries = entry_point_names(scan) if scan is not None and self._script else frozenset()
        self._frames: list[_Frame] = []
        self._found: list[_Site] = []
        self._members: set[str] = set()
        self._init_causes(scan)

    def _init_causes(self, scan: ScriptFact | None) -> None:
        """What grouping and the not-data exemptions need (``_path_causes``)."""
        self._kinds: dict[str, set[str]] = {}
        self._ui = bool(self.ctx.names.imported_packages() & causes.UI_PACKAGES)
        self._run = scan is not None and (scan.main_guard or scan.inline_work or bool(scan.module_calls))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.config.enter(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.config.leave()

    # --- local variables bound to a path literal ----------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.append(_Frame(scope=self._scope or node.name.value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        frame = self._frames.pop()
        for name, (api, call) in frame.uses.items():
            bound = frame.literals.get(name)
            if bound is None or frame.bindings.get(name) != 1:
                continue
            text, literal = bound
            if looks_like_path(text, self.extensions):
                self._note_kind(text, call)
                line = self.ctx.position(call).line
                self._add(
                    literal,
                    text,
                    f"hardcoded path {text!r} (bound to `{name}`, passed to `{api}` on line {line})",
                    frame.scope,
                )

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None = None) -> None:
        if not self._frames or not self.ctx.functions:
            return
        frame = self._frames[-1]
        names = [target] if isinstance(target, cst.Name) else []
        if isinstance(target, cst.Tuple | cst.List):
            names = [e.value for e in target.elements if isinstance(e.value, cst.Name)]
        for name in names:
            assert isinstance(name, cst.Name)
            frame.bindings[name.value] = frame.bindings.get(name.value, 0) + 1
        if value is not None and isinstance(target, cst.Name):
            text = string_value(value)
            if text is not None:
                frame.literals[target.value] = (text, value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value if len(node.targets) == 1 else None)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)
        self._bind(node.target)  # `path += ".csv"`: no longer the literal

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name)

    # --- I/O calls -------------------------------------------------------------------------------------
    @property
    def _script_top_level(self) -> bool:
        """The script's own top-level code: module level, its main guard, or one of its entry points."""
        if not self._script:
            return False
        return not self.ctx.functions or self.ctx.functions[0].qualname in self._entries

    def visit_Call(self, node: cst.Call) -> None:
        self._note_member(node)
        if self._quiet or self.config.inside or self._script_top_level:
            return
        api = classify_call(self.ctx, node)
        if api is None or api.kind not in _PATH_KINDS or api.name in _FIGURE_WRITERS:
            return
        arg = self._path_argument(node, api)
        if arg is None:
            return
        if isinstance(arg, cst.Name) and self._frames and self.ctx.functions:
            self._frames[-1].uses.setdefault(arg.value, (api.name, node))
            return
        literal, where = self._literal_text(arg)
        if literal is not None and where is not None and looks_like_path(literal, self.extensions):
            self._kinds.setdefault(literal, set()).add(api.kind)
            self._add(where, literal, f"hardcoded path {literal!r} passed to `{api.name}`", self._scope)

    def _note_member(self, node: cst.Call) -> None:
        """``zf.extract("matlab/emnist.mat")``, ``tar.extractfile(...)``: a path inside an archive."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _ARCHIVE_MEMBER_METHODS and node.args:
            text = string_value(node.args[0].value) if node.args[0].keyword is None else None
            if text is not None:
                self._members.add(text)

    @property
    def _scope(self) -> str:
        """The outermost enclosing function (a closure's paths belong to the function that holds it)."""
        return self.ctx.functions[0].qualname if self.ctx.functions else ""

    def _add(self, node: cst.CSTNode, literal: str, what: str, scope: str) -> None:
        if causes.platform_fixed(literal) or causes.ui_asset(literal, self._ui):
            return
        self._found.append(_Site(node, literal, what, scope))

    def _note_kind(self, literal: str, call: cst.Call) -> None:
        api = classify_call(self.ctx, call)
        if api is not None:
            self._kinds.setdefault(literal, set()).add(api.kind)

    def leave_Module(self, original_node: cst.Module) -> None:
        """One finding per cause (rules.md v2): the paths hardcoded in one function are one thing to move,
        and so is one literal used at several places of the file. A member of an archive the file opens
        (extracted, then read where it was extracted) is not a location, nor a scratch file a script writes
        and reads back."""
        sites = [
            s
            for s in self._found
            if s.literal not in self._members
            and not (self._run and causes.round_trip(self._kinds.get(s.literal, set())))
        ]
        for group in _groups(sites):
            positioned = sorted(
                ((self.ctx.position(s.node), s) for s in group), key=lambda x: (x[0].line, x[0].col)
            )
            (span, first), rest = positioned[0], positioned[1:]
            self.findings.append(
                RawFinding(
                    code=self.code,
                    path=self.ctx.path,
                    span=span,
                    message=_message(first, [s for _, s in rest]),
                    snippet=self.ctx.snippet(span),
                    related=[RelatedSite(self.ctx.path, sp, s.what) for sp, s in rest],
                )
            )

    @staticmethod
    def _path_argument(node: cst.Call, api: Api) -> cst.BaseExpression | None:
        if api.path_arg is not None or api.path_kw is not None:
            return argument(node, api.path_arg, api.path_kw)
        # The receiver is the path: `Path("~/vocab.txt").read_text()`.
        return node.func.value if isinstance(node.func, cst.Attribute) else None

    def _literal_text(self, node: cst.BaseExpression) -> tuple[str | None, cst.CSTNode | None]:
        """The literal text of a path expression: a literal; a builder with a literal first argument
        (``Path("/data", x)``, ``os.path.join("/data", x)``); a ``/`` chain starting with either. Parts that are
        not literals end the text (``Path("/data") / name`` is ``/data``)."""
        value = string_value(node)
        if value is not None:
            return value, node
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            head, *rest = _divide_parts(node)
            text, where = self._literal_text(head)
            return _joined([text, *(string_value(p) for p in rest)]), where
        if isinstance(node, cst.Call):
            return self._builder_text(node), node
        return None, None

    def _builder_text(self, node: cst.Call) -> str | None:
        if not node.args or self.ctx.resolve(node.func) not in _BUILDERS:
            return None
        return _joined(
            [string_value(a.value) if a.keyword is None and not a.star else None for a in node.args]
        )
