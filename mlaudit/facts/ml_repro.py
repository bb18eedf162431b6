"""The reproducibility half of the API table (family 7): which calls draw on a random state, which calls
seed a global generator, which calls save a model, which calls parse datetimes. A sibling of ``ml_apis``
at the same layer; rules read these tables and keep no lists of their own.

Names are matched by their package's top-level name plus their last component, because real code
reaches them through private modules (``sklearn.ensemble._forest.RandomForestClassifier``) as often as
through the public ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMPY = "numpy"
TORCH = "torch"
ALL = "all"
"""A seeding helper that seeds every generator (``seed_everything``, ``transformers.set_seed``)."""

# --- MLA704: calls whose result depends on a random state --------------------------------------------
SHUFFLE_TRUE = "shuffle-true"
"""Random only with ``shuffle=True`` written as a literal (``KFold(5, shuffle=True)``)."""
UNLESS_SHUFFLE_FALSE = "unless-shuffle-false"
"""Random unless ``shuffle=False`` is passed (``train_test_split``)."""
SUBSAMPLED = "subsampled"
"""Random only when features or rows are subsampled (``max_features=``/``subsample=`` given): a decision tree
or gradient boosting with the defaults only breaks exact ties at random."""

EARLY_STOPPING = "early-stopping"
"""``HistGradientBoosting*``: ``random_state`` draws the validation split of early stopping (on by default
above 10,000 rows: ``early_stopping="auto"``), the features of ``max_features < 1``, and the binning sample
above 200,000 rows. Deterministic in shape when ``early_stopping=False`` is written and no feature
fraction is given; the bin edges of a data set above 200,000 rows still come from a random sample, a
small effect left alone. With the default (``"auto"``) the row count decides, which the code does not
say: reported."""


@dataclass(frozen=True, slots=True)
class RandomApi:
    name: str
    """The public qualified name, for messages (``sklearn.model_selection.train_test_split``)."""
    family: str
    """The global generator used when no seed is passed (``numpy`` for scikit-learn and pandas)."""
    seed_keywords: tuple[str, ...] = ("random_state",)
    seed_position: int | None = None
    """Position of the seed argument when it may be passed positionally (``KFold(5, True, 0)``)."""
    when: str = ""
    """Empty (always random), ``shuffle-true``, ``unless-shuffle-false``, ``subsampled`` or ``early-stopping``."""
    fixed_default: bool = False
    """The library's own default seed is a fixed number (xgboost ``seed=0``, LightGBM's fixed seeds,
    CatBoost ``random_seed=0``): a call without a seed is reproducible, and reported only on request."""

    @property
    def last(self) -> str:
        return self.name.rpartition(".")[2]


def _split(text: str) -> list[str]:
    return text.split()


def _sk(module: str, names: str, **kw: object) -> list[RandomApi]:
    return [RandomApi(f"sklearn.{module}.{n}", NUMPY, **kw) for n in _split(names)]  # type: ignore[arg-type]


_RANDOM_APIS: list[RandomApi] = [
    *_sk("model_selection", "train_test_split", when=UNLESS_SHUFFLE_FALSE),
    *_sk(
        "model_selection",
        "KFold StratifiedKFold GroupKFold StratifiedGroupKFold",
        seed_position=2,
        when=SHUFFLE_TRUE,
    ),
    *_sk("model_selection", "RepeatedKFold RepeatedStratifiedKFold ShuffleSplit StratifiedShuffleSplit"),
    *_sk("model_selection", "GroupShuffleSplit RandomizedSearchCV HalvingRandomSearchCV"),
    *_sk(
        "ensemble",
        "RandomForestClassifier RandomForestRegressor ExtraTreesClassifier ExtraTreesRegressor "
        "BaggingClassifier BaggingRegressor AdaBoostClassifier "
        "AdaBoostRegressor IsolationForest RandomTreesEmbedding",
    ),
    *_sk("ensemble", "HistGradientBoostingClassifier HistGradientBoostingRegressor", when=EARLY_STOPPING),
    *_sk("ensemble", "GradientBoostingClassifier GradientBoostingRegressor", when=SUBSAMPLED),
    *_sk("tree", "DecisionTreeClassifier DecisionTreeRegressor", when=SUBSAMPLED),
    *_sk("tree", "ExtraTreeClassifier ExtraTreeRegressor"),
    *_sk(
        "linear_model",
        "SGDClassifier SGDRegressor SGDOneClassSVM Perceptron PassiveAggressiveClassifier "
        "PassiveAggressiveRegressor RANSACRegressor",
    ),
    *_sk("neural_network", "MLPClassifier MLPRegressor BernoulliRBM"),
    *_sk("cluster", "KMeans MiniBatchKMeans BisectingKMeans SpectralClustering"),
    *_sk("mixture", "GaussianMixture BayesianGaussianMixture"),
    *_sk("manifold", "TSNE MDS"),
    *_sk("decomposition", "TruncatedSVD LatentDirichletAllocation FastICA"),
    *_sk("kernel_approximation", "RBFSampler Nystroem"),
    *_sk("random_projection", "GaussianRandomProjection SparseRandomProjection"),
    *_sk("utils", "shuffle resample"),
    *_sk("inspection", "permutation_importance"),
    *[
        RandomApi(f"imblearn.{n}", NUMPY)
        for n in _split(
            "over_sampling.SMOTE over_sampling.ADASYN over_sampling.BorderlineSMOTE over_sampling.SVMSMOTE "
            "over_sampling.KMeansSMOTE over_sampling.SMOTENC over_sampling.SMOTEN "
            "over_sampling.RandomOverSampler under_sampling.RandomUnderSampler under_sampling.ClusterCentroids "
            "ensemble.BalancedRandomForestClassifier ensemble.BalancedBaggingClassifier "
            "ensemble.EasyEnsembleClassifier ensemble.RUSBoostClassifier combine.SMOTEENN combine.SMOTETomek"
        )
    ],
    RandomApi("umap.UMAP", NUMPY),
    *[
        RandomApi(f"xgboost.{n}", NUMPY, ("random_state", "seed"), fixed_default=True)
        for n in _split("XGBClassifier XGBRegressor XGBRanker XGBRFClassifier XGBRFRegressor")
    ],
    *[
        RandomApi(f"lightgbm.{n}", NUMPY, ("random_state", "seed"), fixed_default=True)
        for n in _split("LGBMClassifier LGBMRegressor LGBMRanker")
    ],
    *[
        RandomApi(f"catboost.{n}", NUMPY, ("random_seed", "random_state"), fixed_default=True)
        for n in _split("CatBoostClassifier CatBoostRegressor CatBoostRanker CatBoost")
    ],
    RandomApi("torch.utils.data.random_split", TORCH, ("generator",), seed_position=2),
]

RANDOM_APIS: dict[tuple[str, str], RandomApi] = {
    (api.name.partition(".")[0], api.last): api for api in _RANDOM_APIS
}
RANDOM_LAST_NAMES = frozenset(api.last for api in _RANDOM_APIS)

DATAFRAME_SAMPLE = RandomApi("DataFrame.sample", NUMPY, ("random_state", "seed"), seed_position=4)
"""``df.sample(frac=0.2)``: matched by method name on an unknown receiver, with pandas' keywords."""
SAMPLE_KEYWORDS = frozenset({"frac", "n", "replace", "weights", "axis"})
"""Keywords that make ``x.sample(...)`` a DataFrame/Series sample rather than a distribution's draw."""

SEED_KEYWORDS = frozenset({"random_state", "seed", "random_seed", "generator", "rng"})
SUBSAMPLE_KEYWORDS = frozenset({"max_features", "subsample"})
SEED_ARGUMENT = "argument"
"""Not a generator: the file passes a seed value somewhere (``reset(epoch, args.seed)``). A training script
that does has thought about seeding, so MLA704's loop check leaves it alone."""
INTENTIONAL_PREFIX = "random"
"""A function whose name has a word starting with this (``fit_randomized_tree``) is random on purpose."""
BENCHMARK_WORDS = frozenset(
    _split("bench benchmark benchmarks benchmarking profile profiling timing timings timeit speed latency throughput")
)
"""Words of a function's own name that say it measures speed (``benchmark_loader``, ``profile_step``,
``measure_latency``): it repeats draws and training steps on purpose, and what it reports is time."""


def measures_speed(qualname: str, harness: bool = False) -> bool:
    """``benchmark_split``, ``Trainer.profile_step``; with ``harness``, also a ``test_*`` function (a training
    step in ``test_attention(args)`` of a production file is a check of the layer, timed or asserted, not a
    training run; a call in ``test_split(df)`` may well build the test split, so calls do not use it)."""
    own = words(qualname.rpartition(".")[2])
    return bool(BENCHMARK_WORDS & set(own)) or (harness and own[:1] == ["test"])


def random_api(resolved: str | None) -> RandomApi | None:
    """The table entry of a resolved callee (``sklearn.ensemble._forest.RandomForestClassifier``)."""
    if not resolved:
        return None
    return RANDOM_APIS.get((resolved.partition(".")[0], resolved.rpartition(".")[2]))


# --- seeding the global generators ------------------------------------------------------------------
SEED_CALLS: dict[str, str] = {
    "numpy.random.seed": NUMPY,
    "random.seed": "random",
    "torch.manual_seed": TORCH,
    "torch.random.manual_seed": TORCH,
    "torch.cuda.manual_seed": TORCH,
    "torch.cuda.manual_seed_all": TORCH,
    "tensorflow.random.set_seed": "tensorflow",
    "tensorflow.set_random_seed": "tensorflow",
    "tensorflow.compat.v1.set_random_seed": "tensorflow",
    "keras.utils.set_random_seed": ALL,
    "tensorflow.keras.utils.set_random_seed": ALL,
    "lightning.seed_everything": ALL,
    "lightning.pytorch.seed_everything": ALL,
    "lightning.fabric.seed_everything": ALL,
    "pytorch_lightning.seed_everything": ALL,
    "pytorch_lightning.utilities.seed.seed_everything": ALL,
    "lightning_fabric.utilities.seed.seed_everything": ALL,
    "transformers.set_seed": ALL,
    "transformers.trainer_utils.set_seed": ALL,
    "accelerate.utils.set_seed": ALL,
}
_SEED_WORD = re.compile(r"seed", re.IGNORECASE)


def seed_family(resolved: str | None, written: str | None) -> str | None:
    """Which generator a call seeds: a table entry, or any other call whose name says ``seed``
    (``set_seed(cfg.seed)``, ``utils.fix_seeds()``, ``seed_torch(42)``): assumed to seed everything."""
    if resolved and resolved in SEED_CALLS:
        return SEED_CALLS[resolved]
    last = (written or resolved or "").rpartition(".")[2]
    if _SEED_WORD.search(last) and last not in ("SeedSequence",):
        return ALL
    return None


# --- MLA703: saving a trained model ------------------------------------------------------------------
PICKLE_DUMPS = frozenset({"pickle.dump", "joblib.dump", "dill.dump", "cloudpickle.dump", "torch.save"})
"""Functions that serialise their first argument (the model when it looks like one)."""
SAVE_METHODS = frozenset({"save", "save_model", "save_pretrained"})
"""Methods that save their receiver (``model.save(path)``, ``booster.save_model(path)``)."""
MLFLOW_LOG_MODEL = "log_model"
"""``mlflow.<flavour>.log_model``: versioned when it has ``signature=``/``input_example=``/
``registered_model_name=``."""
LOG_MODEL_VERSIONED_KEYWORDS = frozenset({"signature", "input_example", "registered_model_name"})
REGISTRY_CALLS = frozenset(
    {
        "mlflow.register_model",
        "mlflow.log_artifact",
        "mlflow.log_artifacts",
        "mlflow.log_params",
        "mlflow.log_param",
        "wandb.log_artifact",
        "wandb.Artifact",
        "bentoml.models.create",
    }
)
"""Calls that record the artifact in a registry or tracking run (versioned, traceable)."""
REGISTRY_METHODS = frozenset(
    {
        "create_model_version",
        "register_model",
        "log_artifact",
        "log_artifacts",
        "push_to_hub",
        "upload_folder",
    }
)
METADATA_WRITERS = frozenset(
    {"json.dump", "yaml.dump", "yaml.safe_dump", "toml.dump", "json.dumps", "yaml.dumps", "tomli_w.dump"}
)
"""A sidecar metadata file written in the same function."""
SIDECAR_WORDS = frozenset(
    _split("meta metadata version versions schema manifest card info config signature lineage")
)
"""A metadata writer counts as a sidecar when its data or its path says so (``metadata.json``,
``json.dump(meta, f)``); ``json.dump(metrics, f)`` records results, not what the model is."""
METADATA_METHODS = frozenset({"to_json_file", "save_config", "write_json"})

MODEL_WORDS = frozenset(
    _split(
        "model models clf classifier classifiers regressor regressors estimator estimators pipeline pipe "
        "booster learner predictor forest xgb lgb lgbm gbm gbdt rf svm svc svr knn kmeans automl ensemble "
        "catboost xgboost lightgbm net network"
    )
)
"""Identifier words that name a model (``best_model``, ``clf``, ``self.estimator``, ``xgb_reg``)."""
CHECKPOINT_WORDS = frozenset({"ckpt", "checkpoint", "checkpoints", "epoch", "step", "optimizer", "optim"})
"""Words of a training checkpoint (resume state), not a released model."""
REGISTRY_WORDS = frozenset({"registry", "store", "repository"})
"""A function or class that *is* a model store (``Registry.put_model``): its callers choose the version."""
METADATA_KEYS = frozenset(
    _split(
        "args config cfg hparams hyper_parameters hyperparameters metadata meta params feature_names columns classes"
    )
)
"""Keys of a saved bundle that describe the model (``{"model": m, "args": vars(args)}``)."""
ESTIMATOR_PACKAGES = frozenset({"sklearn", "xgboost", "lightgbm", "catboost", "imblearn", "skorch"})
NOT_ESTIMATOR_PREFIXES = ("sklearn.utils", "sklearn.datasets", "sklearn.metrics", "sklearn.model_selection")
"""Classes of an estimator package that hold data or splits, not fitted models (``Bunch``, ``KFold``)."""

_IDENT_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(identifier: str) -> list[str]:
    """``best_xgbModel`` -> ``["best", "xgb", "model"]``."""
    return [w.lower() for w in _IDENT_WORD.findall(identifier)]


# --- MLA701: parsing a column to datetimes ----------------------------------------------------------
DATETIME_PARSERS = frozenset({"pandas.to_datetime"})
CSV_READERS_WITH_PARSE_DATES = frozenset(
    {"pandas.read_csv", "pandas.read_table", "pandas.read_excel", "pandas.read_sql", "pandas.read_sql_query"}
)
TZ_METHODS = frozenset({"tz_localize", "tz_convert"})
PARSE_OPTIONS = ("utc", "format", "dayfirst", "yearfirst", "unit")
"""``to_datetime`` options that change which instant a string means (``errors``, ``cache`` do not)."""


# --- MLA305: literal dates ----------------------------------------------------------------------------
DATE_STRING = re.compile(r"^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
"""``2023-01-01``, ``2023-01``, ``2023-01-01 12:00``, ``2023-01-01T00:00:00Z``."""
DATE_CONSTRUCTORS = frozenset(
    {
        "pandas.Timestamp",
        "pandas.to_datetime",
        "pandas.datetime",
        "numpy.datetime64",
        "datetime.datetime",
        "datetime.date",
        "datetime.datetime.strptime",
        "datetime.datetime.fromisoformat",
        "datetime.date.fromisoformat",
    }
)
"""Calls that build a date from literal arguments (``pd.Timestamp("2023-01-01")``, ``datetime(2023, 1, 1)``)."""
DATE_FILTER_METHODS = frozenset({"between", "truncate"})
DATE_RANGES = frozenset({"pandas.date_range", "pandas.bdate_range", "pandas.period_range"})
"""Calls whose result, used as a subscript, selects the rows or columns of a date window."""
DATE_WINDOW_CALL_WORDS = frozenset({"split", "filter"})
"""Words of a called function's name that make a literal date argument a split or filter bound
(``data_split(df, "2009-01-01", "2018-01-01")``, ``filter_by_date(df, "2020-01-01")``)."""
