"""MLA303 hardcoded-path: a literal data/artifact path passed to an I/O call outside configuration.

A string literal is a data/artifact path when it has a data or model file extension, is absolute
(``/data/x``, ``C:\\data``; system paths under ``/dev``, ``/proc`` and ``/sys`` are not data), starts with
``~/``, or is a storage URI (``s3://``, ``gs://``, ``hdfs://``, ``abfs://``, ...). It is reported when it
is the path argument of an I/O call from the API table (``pd.read_csv("data/train.csv")``), of a method
matched by the unknown-receiver heuristic (``df.to_parquet("out.parquet")``), or the first literal of a
path built in place (``open(Path("/data") / name)``, ``np.load(os.path.join("/models", f))``). Paths
built from values (``os.path.join(cfg.data_dir, "train.csv")``, ``DATA_DIR / "train.csv"``) are fine:
that is configuration.
"""

from __future__ import annotations

import re

import libcst as cst
from pydantic import Field

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RuleOptions
from mlaudit.facts.functions import argument, classify_call, string_value
from mlaudit.facts.hyperparams import ConfigScope
from mlaudit.facts.ml_apis import MODEL_LOAD, NETWORK, READ, WRITE
from mlaudit.model import Severity

_EXTENSION_WORDS = (
    ".csv .tsv .parquet .pq .json .jsonl .ndjson .pkl .pickle .joblib .pt .pth .ckpt .h5 .hdf5 .hdf .onnx "
    ".npy .npz .yaml .yml .txt .feather .arrow .avro .orc .xlsx .xls .tfrecord .tfrecords .safetensors .bin "
    ".pb .mat .sav .db .sqlite .sqlite3 .zip .gz .tgz .bz2 .xz .zst .msgpack .png .jpg .jpeg .wav"
)
DEFAULT_EXTENSIONS: tuple[str, ...] = tuple(_EXTENSION_WORDS.split())
_URI = re.compile(r"^(s3|s3a|s3n|gs|gcs|hdfs|abfs|abfss|az|adl|wasb|wasbs|dbfs|file)://", re.IGNORECASE)
_WINDOWS_ABS = re.compile(r"^[A-Za-z]:[\\/]")
_SYSTEM = ("/dev/", "/proc/", "/sys/")
_PATH_KINDS = frozenset({READ, WRITE, MODEL_LOAD, NETWORK})
_BUILDERS = frozenset(
    {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath", "os.path.join",
     "os.path.expanduser", "os.path.abspath", "upath.UPath", "builtins.str"}
)


class Options(RuleOptions):
    extend_extensions: tuple[str, ...] = Field(default=(), alias="extend-extensions")
    """More file extensions that make a literal a data/artifact path (e.g. ``[".tsv.gz", ".lance"]``)."""


def looks_like_path(text: str, extensions: frozenset[str]) -> bool:
    if not text or len(text) > 300 or any(c in text for c in "\n\t\r") or " " in text.strip():
        return False
    if _URI.match(text) or text.startswith("~/") or _WINDOWS_ABS.match(text):
        return True
    if text.startswith("/") and len(text) > 1 and not text.startswith(_SYSTEM) and not text.startswith("//"):
        return True
    tail = text.replace("\\", "/").rstrip("/").rpartition("/")[2].lower()
    if tail.startswith("."):  # `.env`, `.gitignore`: dotfiles, not data
        tail = tail[1:]
    dot = tail.rfind(".")
    return dot > 0 and tail[dot:] in extensions


class HardcodedPath(FileRule):
    code = "MLA303"
    name = "hardcoded-path"
    category = "config"
    severity = Severity.WARNING
    message = "Hardcoded data path: take it from configuration (a config module, settings model or CLI argument)"
    Options = Options

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        assert isinstance(options, Options)
        self.extensions = frozenset(e.lower() for e in (*DEFAULT_EXTENSIONS, *options.extend_extensions))
        self.config = ConfigScope(ctx)
        self._quiet = ctx.is_config_module

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.config.enter(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.config.leave()

    def visit_Call(self, node: cst.Call) -> None:
        if self._quiet or self.config.inside or not node.args:
            return
        api = classify_call(self.ctx, node)
        if api is None or api.kind not in _PATH_KINDS or (api.path_arg is None and api.path_kw is None):
            return
        arg = argument(node, api.path_arg, api.path_kw)
        if arg is None:
            return
        literal, where = self._literal_path(arg)
        if literal is not None and where is not None:
            self.report(
                where,
                f"hardcoded path {literal!r} passed to `{api.name}`: take it from configuration "
                "(a config module, settings model or CLI argument)",
            )

    def _literal_path(self, arg: cst.BaseExpression) -> tuple[str | None, cst.CSTNode | None]:
        """The path literal an argument is, or starts with (``Path("/d") / x``, ``os.path.join("/d", x)``)."""
        value = string_value(arg)
        if value is not None:
            return (value, arg) if looks_like_path(value, self.extensions) else (None, None)
        if isinstance(arg, cst.BinaryOperation) and isinstance(arg.operator, cst.Divide):
            parts: list[cst.BaseExpression] = []
            node: cst.BaseExpression = arg
            while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
                parts.append(node.right)
                node = node.left
            parts.append(node)
            parts.reverse()
            head, where = self._literal_head(parts[0])
            if head is None:
                return None, None
            literals = [string_value(p) for p in parts[1:]]
            joined = "/".join([head, *[x for x in literals if x is not None]]) if None not in literals else head
            return (joined, where) if looks_like_path(joined, self.extensions) else (None, None)
        return self._literal_head(arg, check=True)

    def _literal_head(self, node: cst.BaseExpression, check: bool = False) -> tuple[str | None, cst.CSTNode | None]:
        """``Path("/data", x)`` / ``os.path.join("/data", x)`` / a literal -> its (joined) literal text."""
        value = string_value(node)
        if value is not None:
            return (value, node) if not check or looks_like_path(value, self.extensions) else (None, None)
        if not isinstance(node, cst.Call) or self.ctx.resolve(node.func) not in _BUILDERS or not node.args:
            return None, None
        values = [string_value(a.value) if a.keyword is None and not a.star else None for a in node.args]
        head = values[0]
        if head is None:
            return None, None
        literals = [v for v in values if v is not None]
        joined = "/".join(literals) if len(literals) == len(values) else head
        if check and not looks_like_path(joined, self.extensions):
            return None, None
        return joined, node
