"""THE table of ML and I/O APIs, by qualified name. Rules read it; no rule keeps its own list.

Names are canonical (``pandas.read_csv``); ``canonical()`` folds the aliases real code uses
(``pandas.io.parsers.read_csv``, ``torch.serialization.load``, ...). Method calls on receivers of
unknown type (``df.to_csv(path)``) are matched by method name plus the shape of the call: see
``METHOD_IO`` and ``method_io()``.

Some APIs are I/O (or read the clock, or draw from an unseeded generator) only for some call shapes;
``Api.shape`` says which, and ``matches_shape()`` decides for one call:

* ``target``: only with its file/stream argument (``yaml.dump(data)`` returns a string, ``yaml.dump(data, fh)``
  writes; ``df.to_csv()`` returns a string, ``df.to_csv(path)`` and ``df.to_csv(path_or_buf=p)`` write);
* ``args``: only with some argument (``p.write_text(text)``, ``df.to_sql(name, con)``);
* ``stream``: not when the first argument is a string literal (``yaml.safe_load("a: 1")`` parses text);
* ``now``: only with the literal ``"now"``/``"today"`` (``np.datetime64("now")``, ``pd.Timestamp("today")``);
* ``unseeded``: only without a seed (``np.random.default_rng()``, ``random.Random()``);
* ``no-generator``: only without ``generator=`` (``torch.rand(3)``);
* ``max-args-N``: only with at most N positional arguments (``time.localtime()`` reads the clock,
  ``time.localtime(ts)`` converts).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase

READ = "read"
WRITE = "write"
NETWORK = "network"
DATABASE = "database"
SUBPROCESS = "subprocess"
CLOCK = "clock"
RANDOM = "random"
SEED = "seed"
"""Seeding a global generator (``np.random.seed(0)``): not a nondeterministic draw itself."""
MODEL_LOAD = "model-load"
TRACKING = "tracking"
"""A call that talks to an experiment tracker (``mlflow.set_experiment``, ``wandb.init``)."""
ENV = "env"

IO_KINDS = frozenset({READ, WRITE, NETWORK, DATABASE, SUBPROCESS, MODEL_LOAD, TRACKING})

KIND_VERBS: dict[str, str] = {
    READ: "reads a file",
    WRITE: "writes a file",
    NETWORK: "uses the network",
    DATABASE: "queries a database",
    SUBPROCESS: "runs a subprocess",
    MODEL_LOAD: "loads a model",
    TRACKING: "calls the experiment tracker",
    CLOCK: "reads the clock",
    RANDOM: "draws from an unseeded random generator",
    ENV: "reads the environment",
}


@dataclass(frozen=True, slots=True)
class Api:
    name: str
    kind: str
    path_arg: int | None = None
    """Position of the path/URI argument, when the API takes one (for MLA303)."""
    path_kw: str | None = None
    shape: str = ""
    """Call shapes that count (see the module docstring); empty = every call."""


def _words(text: str) -> list[str]:
    return text.split()


def _apis(
    kind: str, names: str, path_arg: int | None = 0, path_kw: str | None = None, shape: str = ""
) -> list[Api]:
    return [Api(n, kind, path_arg, path_kw, shape) for n in names.split()]


_PANDAS_READERS = " ".join(
    f"pandas.read_{x}"
    for x in _words(
        "csv table fwf json parquet pickle excel feather orc hdf sas spss stata xml html sql sql_query "
        "sql_table gbq clipboard"
    )
)

_TABLE: list[Api] = [
    # --- files --------------------------------------------------------------------------------
    *_apis(READ, _PANDAS_READERS, 0, "filepath_or_buffer"),
    *_apis(READ, "pandas.ExcelFile pandas.HDFStore", 0, "path"),
    *_apis(WRITE, "pandas.ExcelWriter", 0, "path"),
    *_apis(READ, "builtins.open io.open codecs.open gzip.open bz2.open lzma.open tarfile.open", 0, "file"),
    *_apis(READ, "zipfile.ZipFile", 0, "file"),
    *_apis(READ, "numpy.load numpy.loadtxt numpy.genfromtxt numpy.fromfile numpy.memmap", 0, "file"),
    *_apis(READ, "pickle.load joblib.load dill.load cloudpickle.load", 0, "filename"),
    *_apis(READ, "json.load tomllib.load", 0, "fp"),
    *_apis(READ, "yaml.load yaml.safe_load yaml.full_load yaml.unsafe_load toml.load", 0, "stream", "stream"),
    *_apis(
        READ, "shelve.open h5py.File zarr.open xarray.open_dataset xarray.open_mfdataset netCDF4.Dataset", 0
    ),
    *_apis(
        READ, "polars.read_csv polars.read_parquet polars.read_json polars.scan_csv polars.scan_parquet", 0
    ),
    *_apis(READ, "pyarrow.parquet.read_table pyarrow.csv.read_csv pyarrow.feather.read_table", 0),
    *_apis(READ, "datasets.load_dataset datasets.load_from_disk", 0, "path"),
    *_apis(READ, "PIL.Image.open cv2.imread imageio.imread imageio.v3.imread soundfile.read librosa.load", 0),
    *_apis(READ, "scipy.io.loadmat scipy.io.wavfile.read scipy.sparse.load_npz", 0),
    *_apis(READ, "safetensors.torch.load_file safetensors.numpy.load_file", 0, "filename"),
    *_apis(READ, "tensorflow.io.read_file tensorflow.io.gfile.GFile tensorflow.data.TFRecordDataset", 0),
    *_apis(READ, "glob.glob glob.iglob os.listdir os.scandir os.walk", 0),
    *_apis(WRITE, "numpy.save numpy.savez numpy.savez_compressed numpy.savetxt", 0, "file"),
    *_apis(
        WRITE, "scipy.io.savemat scipy.io.wavfile.write scipy.sparse.save_npz cv2.imwrite imageio.imwrite", 0
    ),
    *_apis(WRITE, "pickle.dump joblib.dump dill.dump cloudpickle.dump", 1, "file", "target"),
    *_apis(WRITE, "json.dump toml.dump", 1, "fp", "target"),
    *_apis(WRITE, "yaml.dump yaml.safe_dump yaml.dump_all yaml.safe_dump_all", 1, "stream", "target"),
    *_apis(WRITE, "torch.save torch.jit.save", 1, "f"),
    *_apis(WRITE, "safetensors.torch.save_file safetensors.numpy.save_file", 1, "filename"),
    *_apis(WRITE, "tensorflow.io.write_file tensorflow.saved_model.save", 0),
    *_apis(WRITE, "os.remove os.unlink os.makedirs os.mkdir os.rmdir os.rename os.replace", 0),
    *_apis(WRITE, "shutil.rmtree shutil.move shutil.copy shutil.copy2 shutil.copyfile shutil.copytree", 0),
    *_apis(WRITE, "mlflow.log_artifact mlflow.log_artifacts mlflow.log_model mlflow.sklearn.log_model", 0),
    *_apis(WRITE, "mlflow.pytorch.log_model wandb.save", 0),
    # --- models -------------------------------------------------------------------------------
    *_apis(MODEL_LOAD, "torch.load torch.jit.load torch.hub.load torch.hub.load_state_dict_from_url", 0, "f"),
    *_apis(
        MODEL_LOAD, "tensorflow.keras.models.load_model keras.models.load_model keras.saving.load_model", 0
    ),
    *_apis(MODEL_LOAD, "tensorflow.saved_model.load onnx.load onnxruntime.InferenceSession", 0),
    *_apis(MODEL_LOAD, "xgboost.Booster lightgbm.Booster catboost.CatBoost.load_model", None),
    *_apis(MODEL_LOAD, "mlflow.pyfunc.load_model mlflow.sklearn.load_model mlflow.pytorch.load_model", 0),
    *_apis(MODEL_LOAD, "transformers.pipeline sentence_transformers.SentenceTransformer", None),
    *_apis(MODEL_LOAD, "gensim.models.KeyedVectors.load_word2vec_format spacy.load", 0),
    # --- network ------------------------------------------------------------------------------
    *_apis(
        NETWORK,
        "requests.get requests.post requests.put requests.delete requests.patch requests.head",
        0,
        "url",
    ),
    *_apis(NETWORK, "requests.request requests.Session", None),
    *_apis(NETWORK, "httpx.get httpx.post httpx.put httpx.delete httpx.patch httpx.request", 0, "url"),
    *_apis(NETWORK, "httpx.Client httpx.AsyncClient aiohttp.ClientSession urllib3.PoolManager", None),
    *_apis(NETWORK, "urllib.request.urlopen urllib.request.urlretrieve", 0, "url"),
    *_apis(NETWORK, "socket.create_connection", None),  # socket.socket only allocates (connect sends)
    *_apis(NETWORK, "boto3.client boto3.resource boto3.Session google.cloud.storage.Client", None),
    *_apis(NETWORK, "huggingface_hub.hf_hub_download huggingface_hub.snapshot_download", None),
    *_apis(NETWORK, "nltk.download", None),
    *_apis(NETWORK, "gdown.download gdown.download_folder gdown.cached_download wget.download", None),
    # --- experiment tracking (talks to a tracking server or writes a run directory) -------------
    *_apis(
        TRACKING,
        "mlflow.set_experiment mlflow.create_experiment mlflow.start_run mlflow.autolog wandb.init "
        "wandb.login comet_ml.Experiment neptune.init_run neptune.init clearml.Task.init",
        None,
    ),
    *_apis(MODEL_LOAD, "tensorflow_hub.load tensorflow_hub.KerasLayer", 0),
    # --- databases ----------------------------------------------------------------------------
    *_apis(
        DATABASE, "sqlite3.connect psycopg2.connect psycopg.connect pymysql.connect pymongo.MongoClient", 0
    ),
    *_apis(
        DATABASE, "sqlalchemy.create_engine redis.Redis redis.StrictRedis duckdb.connect duckdb.sql", None
    ),
    # --- processes ----------------------------------------------------------------------------
    *_apis(SUBPROCESS, "subprocess.run subprocess.call subprocess.check_call subprocess.check_output", None),
    *_apis(SUBPROCESS, "subprocess.Popen subprocess.getoutput subprocess.getstatusoutput", None),
    *_apis(SUBPROCESS, "os.system os.popen os.execv os.execvp os.execl os.spawnl os.spawnv", None),
    # --- clock (time.perf_counter/monotonic measure durations, they do not date data) ----------
    *_apis(CLOCK, "datetime.datetime.now datetime.datetime.utcnow datetime.datetime.today", None),
    *_apis(CLOCK, "datetime.date.today time.time time.time_ns", None),
    *_apis(CLOCK, "time.localtime time.gmtime time.ctime time.asctime", None, shape="max-args-0"),
    *_apis(CLOCK, "time.strftime", None, shape="max-args-1"),
    *_apis(CLOCK, "pandas.Timestamp.now pandas.Timestamp.today pandas.Timestamp.utcnow", None),
    *_apis(CLOCK, "pandas.Timestamp pandas.to_datetime numpy.datetime64", None, shape="now"),
    *_apis(CLOCK, "arrow.now arrow.utcnow pendulum.now pendulum.today", None),
    # --- environment --------------------------------------------------------------------------
    *_apis(ENV, "os.getenv os.getenvb os.environ.get os.environ.setdefault os.environ", None),
    *_apis(ENV, "os.environb os.environb.get", None),
]

# `np.random.<legacy>` and `random.<fn>`: the global, unseeded generators.
_NUMPY_LEGACY_RANDOM = _words(
    "beta binomial bytes chisquare choice dirichlet exponential f gamma geometric gumbel hypergeometric "
    "laplace logistic lognormal logseries multinomial multivariate_normal negative_binomial "
    "noncentral_chisquare noncentral_f normal pareto permutation poisson power rand randint randn random "
    "random_integers random_sample ranf rayleigh sample shuffle standard_cauchy standard_exponential "
    "standard_gamma standard_normal standard_t triangular uniform vonmises wald weibull zipf"
)
_STDLIB_RANDOM = _words(
    "random randint randrange choice choices shuffle sample uniform gauss normalvariate betavariate "
    "expovariate triangular getrandbits lognormvariate vonmisesvariate paretovariate weibullvariate "
    "gammavariate randbytes binomialvariate"
)
_TORCH_RANDOM = _words(
    "rand randn randint randperm rand_like randn_like randint_like normal bernoulli multinomial poisson"
)
_TABLE += [Api(f"numpy.random.{n}", RANDOM) for n in _NUMPY_LEGACY_RANDOM]
_TABLE += [Api(f"random.{n}", RANDOM) for n in _STDLIB_RANDOM]
_TABLE += [Api(f"torch.{n}", RANDOM, shape="no-generator") for n in _TORCH_RANDOM]
_TABLE += _apis(
    RANDOM, "numpy.random.default_rng numpy.random.RandomState random.Random", None, shape="unseeded"
)
_TABLE += _apis(RANDOM, "uuid.uuid1 uuid.uuid4 os.urandom secrets.token_hex secrets.token_bytes", None)
_TABLE += _apis(SEED, "numpy.random.seed random.seed torch.manual_seed torch.cuda.manual_seed_all", None)

TABLE: dict[str, Api] = {api.name: api for api in _TABLE}
# Third-party packages of the table (not the standard library, whose names first-party modules reuse:
# `pkg/json.py`, `pkg/time.py`).
_TABLE_ROOTS = (
    frozenset(n.partition(".")[0] for n in TABLE) - frozenset(sys.stdlib_module_names) - {"builtins"}
)

# `open(path, "w")`: the functions whose mode argument decides between reading and writing.
OPEN_APIS = frozenset({"builtins.open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open"})
OPEN_MODE_POSITION = 1


def open_kind(mode: str | None) -> str:
    """``READ`` or ``WRITE`` for an ``open`` mode literal (``"wb"``, ``"a"``, ``"x"``, ``"r+"`` write)."""
    return WRITE if mode is not None and any(c in mode for c in "wax+") else READ


# Constructors of clients, sessions and engines that connect lazily, on first use: creating one at import
# time is harmless (MLA103), creating one inside a transform still means the transform talks to a service.
LAZY_CLIENTS = frozenset(
    {
        "requests.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
        "boto3.client",
        "boto3.resource",
        "boto3.Session",
        "google.cloud.storage.Client",
        "sqlalchemy.create_engine",
        "redis.Redis",
        "redis.StrictRedis",
        "pymongo.MongoClient",
    }
)

# Prefixes that real code reaches the same functions through.
_ALIASES: tuple[tuple[str, str], ...] = (
    ("pandas.io.parsers.readers.", "pandas."),
    ("pandas.io.parsers.", "pandas."),
    ("pandas.io.parquet.", "pandas."),
    ("pandas.io.json._json.", "pandas."),
    ("pandas.io.json.", "pandas."),
    ("pandas.io.pickle.", "pandas."),
    ("pandas.io.excel._base.", "pandas."),
    ("pandas.io.excel.", "pandas."),
    ("pandas.io.sql.", "pandas."),
    ("pandas.io.feather_format.", "pandas."),
    ("pandas.io.orc.", "pandas."),
    ("pandas.io.pytables.", "pandas."),
    ("pandas.core.tools.datetimes.", "pandas."),
    ("numpy.lib.npyio.", "numpy."),
    ("numpy.lib._npyio_impl.", "numpy."),
    ("numpy.random.mtrand.", "numpy.random."),
    ("torch.serialization.", "torch."),
    ("tf.keras.", "tensorflow.keras."),
    ("tensorflow.python.keras.", "tensorflow.keras."),
    ("sklearn.externals.joblib.", "joblib."),
    ("urllib.urlopen", "urllib.request.urlopen"),
    ("urllib2.urlopen", "urllib.request.urlopen"),
)

# Resolved names ending like this load or save a model whatever the class (transformers, diffusers,
# peft, sentence-transformers, ... and first-party subclasses).
_SUFFIX_APIS: tuple[tuple[str, str], ...] = (
    (".from_pretrained", MODEL_LOAD),
    (".save_pretrained", WRITE),
    (".load_from_checkpoint", MODEL_LOAD),
)
# Third-party packages whose `*.load_model` functions load models from disk.
_MODEL_PACKAGES = frozenset(
    {"mlflow", "keras", "tensorflow", "xgboost", "lightgbm", "catboost", "fasttext", "argus"}
)


def canonical(name: str) -> str:
    for prefix, replacement in _ALIASES:
        if name.startswith(prefix):
            return replacement + name[len(prefix) :]
    return name


# Names under which a project re-exports a third-party package from one of its own modules
# (`from myproj.utils import cv2`, `from .common import np`): `myproj.utils.cv2.imread` is `cv2.imread`.
_REEXPORTED_ROOTS: dict[str, str] = {"np": "numpy", "pd": "pandas"}


def _through_first_party(name: str) -> Api | None:
    """``pkg.utils.cv2.imread`` -> the entry of ``cv2.imread`` when a first-party module re-exports a
    package the table knows (the I/O is the package's, whatever module it was imported through)."""
    parts = name.split(".")
    if parts[0] in _TABLE_ROOTS:
        return None
    for i in range(1, len(parts) - 1):
        root = _REEXPORTED_ROOTS.get(parts[i], parts[i])
        if root in _TABLE_ROOTS:
            rest = ".".join([root, *parts[i + 1 :]])
            return TABLE.get(rest) or TABLE.get(canonical(rest))
    return None


def lookup(name: str | None) -> Api | None:
    """The table entry for a resolved dotted name, if it is a known API."""
    if not name:
        return None
    api = TABLE.get(name) or TABLE.get(canonical(name)) or _through_first_party(name)
    if api is not None:
        return api
    for suffix, kind in _SUFFIX_APIS:
        if name.endswith(suffix):
            return Api(name, kind, 0, None, "target" if kind == WRITE else "")
    root = name.partition(".")[0]
    if root in _MODEL_PACKAGES and name.endswith(".load_model"):
        return Api(name, MODEL_LOAD, 0)
    return None


def is_io(api: Api | None) -> bool:
    return api is not None and api.kind in IO_KINDS


_NOW_LITERALS = frozenset({"now", "today"})


def _has_target(api: Api, n_positional: int, keywords: frozenset[str], first: str | None) -> bool:
    if api.path_arg is not None and n_positional > api.path_arg:
        return True
    if api.path_kw is not None:
        return api.path_kw in keywords
    return bool(keywords & _PATH_KEYWORDS)


def _is_now(api: Api, n_positional: int, keywords: frozenset[str], first: str | None) -> bool:
    return first is not None and first.strip().lower() in _NOW_LITERALS


_SHAPES: dict[str, Callable[[Api, int, frozenset[str], str | None], bool]] = {
    "target": _has_target,
    "args": lambda api, n, kw, first: n > 0 or bool(kw),
    "stream": lambda api, n, kw, first: first is None,
    "now": _is_now,
    "unseeded": lambda api, n, kw, first: n == 0 and not kw & {"seed", "x"},
    "no-generator": lambda api, n, kw, first: "generator" not in kw,
}


def matches_shape(
    api: Api, n_positional: int, keywords: frozenset[str], first_literal: str | None = None
) -> bool:
    """Whether one call of ``api`` with this shape really does what its kind says.

    ``first_literal`` is the value of the first positional argument when it is a string literal."""
    shape = api.shape
    if shape.startswith("max-args-"):
        return n_positional <= int(shape.rsplit("-", 1)[1]) and not keywords
    check = _SHAPES.get(shape)
    return check is None or check(api, n_positional, keywords, first_literal)


@dataclass(frozen=True, slots=True)
class MethodIo:
    kind: str
    needs_arg: bool
    """The call is I/O only with an argument (``df.to_csv()`` with no path returns a string)."""
    path_arg: int | None
    """Which positional argument is the path (``None``: the receiver is the path, e.g. ``p.read_text()``)."""
    owner: str
    """The usual receiver type, for messages (``DataFrame.to_csv``)."""


def _methods(kind: str, names: str, needs_arg: bool, path_arg: int | None, owner: str) -> dict[str, MethodIo]:
    return {m: MethodIo(kind, needs_arg, path_arg, owner) for m in names.split()}


# Methods recognised on receivers of unknown type. Only names that are I/O on every common receiver
# are listed: `save`, `load`, `get`, `open` and `rename` are too generic to guess.
METHOD_IO: dict[str, MethodIo] = {
    **_methods(
        WRITE,
        "to_csv to_parquet to_pickle to_json to_excel to_feather to_hdf to_stata to_orc to_xml to_html "
        "to_latex to_markdown to_netcdf to_zarr",
        True,
        0,
        "DataFrame",
    ),
    **_methods(DATABASE, "to_sql", True, None, "DataFrame"),
    **_methods(WRITE, "tofile", True, 0, "ndarray"),
    **_methods(WRITE, "savefig", True, 0, "Figure"),
    **_methods(WRITE, "save_model save_weights", True, 0, "Model"),
    **_methods(READ, "load_model load_weights", True, 0, "Model"),
    **_methods(READ, "read_text read_bytes", False, None, "Path"),
    **_methods(WRITE, "write_text write_bytes", True, None, "Path"),
    **_methods(WRITE, "mkdir touch unlink rmdir", False, None, "Path"),
    **_methods(MODEL_LOAD, "from_pretrained load_from_checkpoint", False, 0, "Model"),
    **_methods(WRITE, "save_pretrained", True, 0, "Model"),
    **_methods(NETWORK, "urlopen", True, 0, "urllib"),
    **_methods(
        NETWORK,
        "download_file upload_file download_fileobj upload_fileobj get_object put_object",
        True,
        None,
        "S3",
    ),
    **_methods(DATABASE, "executemany executescript fetchall fetchone fetchmany", False, None, "Cursor"),
}

# Keywords that carry the destination of a writer (`to_sql(name, con=engine)`, `to_csv(path_or_buf=...)`).
_PATH_KEYWORDS = frozenset(
    {
        "path",
        "path_or_buf",
        "path_or_buffer",
        "buf",
        "fname",
        "filename",
        "file",
        "filepath",
        "excel_writer",
        "con",
        "f",
        "filepath_or_buffer",
        "store",
        "Filename",
        "Key",
    }
)


def method_io(method: str, n_positional: int, keywords: frozenset[str]) -> str | None:
    """Kind of I/O a method call performs judging by its name and call shape, or None."""
    entry = METHOD_IO.get(method)
    if entry is None:
        return None
    if entry.needs_arg and n_positional == 0 and not (keywords & _PATH_KEYWORDS):
        return None
    return entry.kind


def method_api(method: str) -> Api | None:
    """The heuristic entry for a method on an unknown receiver, as an ``Api`` (``DataFrame.to_csv``)."""
    entry = METHOD_IO.get(method)
    if entry is None:
        return None
    shape = ("target" if entry.path_arg is not None else "args") if entry.needs_arg else ""
    return Api(f"{entry.owner}.{method}", entry.kind, entry.path_arg, None, shape)


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

# Top-level packages that are certainly not first-party: calls into them are never call-graph edges.
NOT_FIRST_PARTY = (
    frozenset(sys.stdlib_module_names)
    | DATA_PACKAGES
    | frozenset(
        {
            "builtins",
            "matplotlib",
            "seaborn",
            "plotly",
            "requests",
            "httpx",
            "boto3",
            "pydantic",
            "typer",
            "click",
            "yaml",
            "joblib",
            "tqdm",
            "mlflow",
            "wandb",
            "pytest",
            "attr",
            "attrs",
            "numba",
            "statsmodels",
            "typing_extensions",
            "rich",
            "tensorboard",
            "lightning",
            "pytorch_lightning",
            "torchvision",
            "PIL",
            "cv2",
        }
    )
)

# --- data transformation (MLA501/MLA502: duplicated preprocessing) ------------------------------
# Resolved names under these prefixes transform data; the exclusions configure, seed or build models.
_DATA_TRANSFORM_PREFIXES = (
    "pandas.",
    "numpy.",
    "polars.",
    "dask.dataframe.",
    "dask.array.",
    "modin.pandas.",
    "pyarrow.compute.",
    "scipy.stats.",
    "scipy.sparse.",
    "torch.",
    "sklearn.preprocessing.",
    "sklearn.impute.",
    "sklearn.feature_extraction.",
    "sklearn.feature_selection.",
    "sklearn.decomposition.",
    "sklearn.compose.",
    "sklearn.model_selection.train_test_split",
    "sklearn.pipeline.",
)
_NOT_DATA_TRANSFORM_PREFIXES = (
    "numpy.random.seed",
    "numpy.set_printoptions",
    "numpy.seterr",
    "numpy.testing.",
    "pandas.set_option",
    "pandas.reset_option",
    "pandas.option_context",
    "pandas.options.",
    "pandas.testing.",
    "torch.nn.",
    "torch.optim.",
    "torch.cuda.",
    "torch.distributed.",
    "torch.backends.",
    "torch.manual_seed",
    "torch.set_",
    "torch.no_grad",
    "torch.device",
    "torch.load",
    "torch.save",
    "torch.jit.",
    "torch.testing.",
    "torch.utils.",
    "torch.autograd.",
    "torch.onnx.",
)
# DataFrame/array/tensor methods, matched by name whatever the receiver. Names this specific are data
# code wherever they appear; the generic ones (``apply``, ``drop``, ``sum``) only in files that import a
# data package.
DATA_METHODS = frozenset(
    _words(
        "fillna dropna isna isnull notna notnull merge groupby pivot_table melt astype drop_duplicates "
        "sort_values sort_index reset_index set_index value_counts to_numpy interpolate resample rolling "
        "get_dummies fit_transform inverse_transform select_dtypes nunique cumsum cumprod pct_change "
        "explode stack unstack crosstab qcut fit_resample to_datetime to_numeric ffill bfill reindex "
        "nlargest nsmallest unsqueeze permute"
    )
)
GENERIC_DATA_METHODS = frozenset(
    _words(
        "apply applymap map transform replace drop rename clip reshape agg aggregate join concat assign "
        "query where mask sum mean median std var min max round abs quantile diff shift cut flatten ravel "
        "transpose view float long int argmax argmin any all isin between sample squeeze"
    )
)


def is_data_transform(name: str) -> bool:
    """A resolved dotted name (``pandas.merge``, ``sklearn.preprocessing.StandardScaler``) that
    transforms data."""
    name = canonical(name)
    return name.startswith(_DATA_TRANSFORM_PREFIXES) and not name.startswith(_NOT_DATA_TRANSFORM_PREFIXES)


def is_data_method(method: str, *, generic_too: bool) -> bool:
    """A method name that transforms a DataFrame/array/tensor on an unknown receiver; ``generic_too``
    also accepts common names (``apply``, ``sum``), for files that import a data package."""
    return method in DATA_METHODS or (generic_too and method in GENERIC_DATA_METHODS)
