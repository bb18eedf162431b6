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
from mlaudit.facts.ml_apis import MODEL_LOAD, NETWORK, READ, WRITE, Api
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
    extend_extensions: tuple[str, ...] = Field(default=(), alias="extend-extensions")
    """More file extensions that make a literal a data/artifact path (e.g. ``[".tsv.gz", ".lance"]``)."""


def _is_location(text: str) -> bool:
    """Absolute (not a system path), home-relative, or a storage URI."""
    if _URI.match(text) or text.startswith("~/") or _WINDOWS_ABS.match(text):
        return True
    return (
        len(text) > 1 and text.startswith("/") and not text.startswith(_SYSTEM) and not text.startswith("//")
    )


def _has_extension(text: str, extensions: frozenset[str]) -> bool:
    tail = text.replace("\\", "/").rstrip("/").rpartition("/")[2].lower().lstrip(".")  # `.env`: a dotfile
    dot = tail.rfind(".")
    return dot > 0 and tail[dot:] in extensions


def looks_like_path(text: str, extensions: frozenset[str]) -> bool:
    """A data/artifact path: a location (absolute, ``~/``, URI) or a file with a data extension."""
    if not text or len(text) > 300 or any(c in text for c in " \n\t\r"):
        return False
    return _is_location(text) or _has_extension(text, extensions)


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


class HardcodedPath(FileRule):
    code = "MLA303"
    name = "hardcoded-path"
    category = "config"
    severity = Severity.WARNING
    message = (
        "Hardcoded data path: take it from configuration (a config module, settings model or CLI argument)"
    )
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
        if self._quiet or self.config.inside:
            return
        api = classify_call(self.ctx, node)
        arg = self._path_argument(node, api) if api is not None and api.kind in _PATH_KINDS else None
        literal, where = self._literal_text(arg) if arg is not None else (None, None)
        if (
            api is not None
            and literal is not None
            and where is not None
            and looks_like_path(literal, self.extensions)
        ):
            self.report(
                where,
                f"hardcoded path {literal!r} passed to `{api.name}`: take it from configuration "
                "(a config module, settings model or CLI argument)",
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
