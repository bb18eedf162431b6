"""THE table of ML and I/O APIs, by qualified name. Rules read it; no rule keeps its own list.

Names are canonical (``pandas.read_csv``); ``canonical()`` folds the aliases real code uses
(``pandas.io.parsers.read_csv``, ``torch.serialization.load``, ...). Method calls on receivers of
unknown type (``df.to_csv(path)``) are matched by method name plus the shape of the call: see
``METHOD_IO`` and ``method_io()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

READ = "read"
WRITE = "write"
NETWORK = "network"
DATABASE = "database"
SUBPROCESS = "subprocess"
CLOCK = "clock"
RANDOM = "random"
MODEL_LOAD = "model-load"
ENV = "env"

IO_KINDS = frozenset({READ, WRITE, NETWORK, DATABASE, SUBPROCESS, MODEL_LOAD})


@dataclass(frozen=True, slots=True)
class Api:
    name: str
    kind: str
    path_arg: int | None = None
    """Position of the path/URI argument, when the API takes one (for MLA303)."""
    path_kw: str | None = None


def _apis(kind: str, names: str, path_arg: int | None = 0, path_kw: str | None = None) -> list[Api]:
    return [Api(n, kind, path_arg, path_kw) for n in names.split()]


_PANDAS_READERS = " ".join(
    f"pandas.read_{x}"
    for x in [
        "csv",
        "table",
        "fwf",
        "json",
        "parquet",
        "pickle",
        "excel",
        "feather",
        "orc",
        "hdf",
        "sas",
        "spss",
        "stata",
        "xml",
        "html",
        "sql",
        "sql_query",
        "sql_table",
        "gbq",
        "clipboard",
    ]
)

_TABLE: list[Api] = [
    *_apis(READ, _PANDAS_READERS, 0, "filepath_or_buffer"),
    *_apis(READ, "builtins.open io.open codecs.open", 0, "file"),
    *_apis(READ, "numpy.load numpy.loadtxt numpy.genfromtxt numpy.fromfile numpy.memmap", 0, "file"),
    *_apis(READ, "pickle.load pickle.loads joblib.load dill.load cloudpickle.load", 0),
    *_apis(
        READ, "json.load yaml.load yaml.safe_load yaml.full_load yaml.unsafe_load toml.load tomllib.load", 0
    ),
    *_apis(READ, "csv.reader csv.DictReader shelve.open h5py.File zarr.open xarray.open_dataset", 0),
    *_apis(
        READ,
        "polars.read_csv polars.read_parquet polars.scan_csv polars.scan_parquet pyarrow.parquet.read_table",
        0,
    ),
    *_apis(READ, "datasets.load_dataset datasets.load_from_disk", 0),
    *_apis(READ, "PIL.Image.open cv2.imread imageio.imread soundfile.read librosa.load", 0),
    *_apis(READ, "glob.glob glob.iglob os.listdir os.scandir os.walk shutil.copy shutil.copyfile", 0),
    *_apis(WRITE, "numpy.save numpy.savez numpy.savez_compressed numpy.savetxt", 0, "file"),
    *_apis(WRITE, "pickle.dump joblib.dump dill.dump cloudpickle.dump", 1),
    *_apis(WRITE, "json.dump yaml.dump yaml.safe_dump toml.dump", 1),
    *_apis(WRITE, "torch.save", 1, "f"),
    *_apis(WRITE, "csv.writer csv.DictWriter", 0),
    *_apis(WRITE, "os.remove os.unlink os.makedirs os.mkdir os.rename shutil.rmtree shutil.move", 0),
    *_apis(WRITE, "mlflow.log_artifact mlflow.log_model mlflow.sklearn.log_model wandb.save", 0),
    *_apis(
        MODEL_LOAD, "torch.load torch.jit.load tensorflow.keras.models.load_model keras.models.load_model", 0
    ),
    *_apis(
        MODEL_LOAD,
        "onnxruntime.InferenceSession xgboost.Booster lightgbm.Booster mlflow.pyfunc.load_model",
        0,
    ),
    *_apis(MODEL_LOAD, "transformers.pipeline sentence_transformers.SentenceTransformer", 0),
    *_apis(
        NETWORK,
        "requests.get requests.post requests.put requests.delete requests.patch requests.head",
        0,
        "url",
    ),
    *_apis(
        NETWORK,
        "requests.request requests.Session httpx.get httpx.post httpx.put httpx.delete httpx.request",
        0,
    ),
    *_apis(NETWORK, "httpx.Client httpx.AsyncClient urllib.request.urlopen urllib.request.urlretrieve", 0),
    *_apis(NETWORK, "urllib3.PoolManager aiohttp.ClientSession socket.socket socket.create_connection", None),
    *_apis(NETWORK, "boto3.client boto3.resource boto3.Session google.cloud.storage.Client", None),
    *_apis(NETWORK, "huggingface_hub.hf_hub_download huggingface_hub.snapshot_download", 0),
    *_apis(
        DATABASE, "sqlite3.connect psycopg2.connect psycopg.connect pymysql.connect pymongo.MongoClient", 0
    ),
    *_apis(DATABASE, "sqlalchemy.create_engine redis.Redis redis.StrictRedis duckdb.connect", 0),
    *_apis(SUBPROCESS, "subprocess.run subprocess.call subprocess.check_call subprocess.check_output", None),
    *_apis(SUBPROCESS, "subprocess.Popen os.system os.popen os.execv os.execvp os.spawnl", None),
    *_apis(
        CLOCK,
        "datetime.datetime.now datetime.datetime.utcnow datetime.datetime.today datetime.date.today",
        None,
    ),
    *_apis(CLOCK, "time.time time.time_ns time.monotonic time.perf_counter time.localtime time.gmtime", None),
    *_apis(
        CLOCK, "pandas.Timestamp.now pandas.Timestamp.today pandas.Timestamp.utcnow numpy.datetime64", None
    ),
    *_apis(ENV, "os.getenv os.environ.get os.environ.setdefault os.getenvb", None),
]

# `np.random.<legacy>` and `random.<fn>`: the global, unseeded generators.
_NUMPY_LEGACY_RANDOM = [
    "rand",
    "randn",
    "randint",
    "random",
    "random_sample",
    "ranf",
    "sample",
    "choice",
    "shuffle",
    "permutation",
    "normal",
    "uniform",
    "binomial",
    "poisson",
    "exponential",
    "beta",
    "gamma",
    "seed",
    "bytes",
    "standard_normal",
    "multivariate_normal",
]
_STDLIB_RANDOM = [
    "random",
    "randint",
    "randrange",
    "choice",
    "choices",
    "shuffle",
    "sample",
    "uniform",
    "gauss",
    "normalvariate",
    "seed",
    "betavariate",
    "expovariate",
    "triangular",
    "getrandbits",
]
_TABLE += [Api(f"numpy.random.{n}", RANDOM, None) for n in _NUMPY_LEGACY_RANDOM]
_TABLE += [Api(f"random.{n}", RANDOM, None) for n in _STDLIB_RANDOM]
_TABLE += [Api(f"torch.{n}", RANDOM, None) for n in ("rand", "randn", "randint", "randperm", "manual_seed")]

TABLE: dict[str, Api] = {api.name: api for api in _TABLE}

# Prefixes that real code reaches the same functions through.
_ALIASES: tuple[tuple[str, str], ...] = (
    ("pandas.io.parsers.readers.", "pandas."),
    ("pandas.io.parsers.", "pandas."),
    ("pandas.io.parquet.", "pandas."),
    ("pandas.io.json.", "pandas."),
    ("pandas.io.pickle.", "pandas."),
    ("pandas.io.excel.", "pandas."),
    ("pandas.io.sql.", "pandas."),
    ("pandas.io.feather_format.", "pandas."),
    ("pandas.io.orc.", "pandas."),
    ("pandas.io.pytables.", "pandas."),
    ("numpy.lib.npyio.", "numpy."),
    ("torch.serialization.", "torch."),
    ("tf.keras.", "tensorflow.keras."),
    ("sklearn.externals.joblib.", "joblib."),
    ("datetime.now", "datetime.datetime.now"),
    ("urllib.urlopen", "urllib.request.urlopen"),
)


def canonical(name: str) -> str:
    for prefix, replacement in _ALIASES:
        if name.startswith(prefix):
            return replacement + name[len(prefix) :]
    return name


def lookup(name: str | None) -> Api | None:
    """The table entry for a resolved dotted name, if it is a known API."""
    if not name:
        return None
    api = TABLE.get(name) or TABLE.get(canonical(name))
    if api is not None:
        return api
    # `from_pretrained` on any class (transformers, diffusers, peft, ...) loads a model.
    if name.endswith(".from_pretrained") or name.endswith(".save_pretrained"):
        return Api(name, MODEL_LOAD if name.endswith("from_pretrained") else WRITE, 0)
    return None


def is_io(api: Api | None) -> bool:
    return api is not None and api.kind in IO_KINDS


# Methods recognised on receivers of unknown type: name -> (kind, whether a path argument is required).
# `df.to_csv()` with no path returns a string, so it is not I/O; `path.read_text()` needs no argument.
METHOD_IO: dict[str, tuple[str, bool]] = {
    **{
        m: (WRITE, True)
        for m in [
            "to_csv",
            "to_parquet",
            "to_pickle",
            "to_json",
            "to_excel",
            "to_feather",
            "to_hdf",
            "to_sql",
            "to_stata",
            "to_orc",
            "to_xml",
            "to_html",
            "to_latex",
            "to_markdown",
            "savefig",
            "save_model",
            "save_weights",
        ]
    },
    **{m: (READ, False) for m in ["read_text", "read_bytes", "read_csv", "read_parquet", "read_json"]},
    **{m: (WRITE, True) for m in ("write_text", "write_bytes")},
    **{m: (READ, False) for m in ("load_model", "load_weights", "load_state_dict_from_url")},
    "from_pretrained": (MODEL_LOAD, False),
    "save_pretrained": (WRITE, True),
    "urlopen": (NETWORK, True),
    "execute": (DATABASE, True),
}

# `to_sql(name, con)`: the first argument is a table name, the connection makes it I/O.
_PATH_KEYWORDS = frozenset(
    {"path", "path_or_buf", "buf", "fname", "filename", "file", "excel_writer", "con", "f"}
)


def method_io(method: str, n_positional: int, keywords: frozenset[str]) -> str | None:
    """Kind of I/O a method call performs judging by its name and call shape, or None."""
    entry = METHOD_IO.get(method)
    if entry is None:
        return None
    kind, needs_path = entry
    if needs_path and n_positional == 0 and not (keywords & _PATH_KEYWORDS):
        return None
    return kind


def matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, p) for p in patterns)


# Top-level packages whose calls can be data I/O or data transformation: a cheap per-file gate.
DATA_PACKAGES = frozenset(
    {
        "pandas",
        "numpy",
        "torch",
        "sklearn",
        "polars",
        "pyarrow",
        "tensorflow",
        "keras",
        "jax",
        "scipy",
        "xgboost",
        "lightgbm",
        "catboost",
        "datasets",
        "transformers",
        "dask",
        "modin",
    }
)
