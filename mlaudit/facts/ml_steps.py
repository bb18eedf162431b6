"""The table of fitted preprocessing steps, splitters and cross-validation APIs (MLA702).

A sibling of ``ml_apis`` (the I/O table): rules read it, no rule keeps its own list. Names are matched by
their last component once the resolved name is rooted in one of the known packages
(``sklearn.preprocessing.StandardScaler``, ``sklearn.preprocessing._data.StandardScaler`` and
``imblearn.over_sampling.SMOTE`` all match), because real code reaches the same class through public and
private module paths.

Not listed on purpose:

* stateless transforms, whose ``fit`` learns nothing from the data: ``FunctionTransformer``,
  ``Normalizer`` (row-wise), ``Binarizer``, ``PolynomialFeatures`` (``SplineTransformer`` is listed: it
  learns its knots from quantiles);
* target label encoders (``LabelEncoder``, ``LabelBinarizer``, ``MultiLabelBinarizer``): fitting one on the
  whole target maps class names to integers and leaks no statistic of the test part;
* encoders that only learn the set of categories (``OneHotEncoder``, ``OrdinalEncoder``, ``DictVectorizer``,
  ``BinaryEncoder``, ``HashingEncoder``), like ``pd.get_dummies`` on the whole frame: a category seen only
  in the test part becomes a column that is all zeros in training, which the model cannot use. A
  ``CountVectorizer`` is the same unless it keeps words by document frequency (``min_df``, ``max_df``,
  ``max_features``): see ``VOCABULARY_STEPS``.
"""

from __future__ import annotations


def _names(text: str) -> list[str]:
    return text.split()


STEP_PACKAGES = frozenset({"sklearn", "imblearn", "category_encoders", "feature_engine", "cuml"})
"""Root packages whose classes below are fitted preprocessing steps."""

FITTED_STEPS: dict[str, str] = {
    # scalers and distribution transforms (learn means, ranges, quantiles)
    **dict.fromkeys(
        _names(
            "StandardScaler MinMaxScaler MaxAbsScaler RobustScaler QuantileTransformer PowerTransformer "
            "KBinsDiscretizer SplineTransformer"
        ),
        "scaler",
    ),
    # imputers (learn means, medians, modes, neighbours)
    **dict.fromkeys(_names("SimpleImputer KNNImputer IterativeImputer MissingIndicator Imputer"), "imputer"),
    # encoders of features (learn categories or target statistics)
    **dict.fromkeys(
        _names(
            "TargetEncoder CountEncoder WOEEncoder CatBoostEncoder LeaveOneOutEncoder JamesSteinEncoder "
            "MEstimateEncoder GLMMEncoder MeanEncoder RareLabelEncoder CountFrequencyEncoder"
        ),
        "encoder",
    ),
    # text vectorizers (learn a vocabulary and document frequencies)
    **dict.fromkeys(_names("TfidfVectorizer TfidfTransformer"), "vectorizer"),
    # feature selection (learns which columns predict the target)
    **dict.fromkeys(
        _names(
            "SelectKBest SelectPercentile SelectFpr SelectFdr SelectFwe GenericUnivariateSelect VarianceThreshold "
            "RFE RFECV SelectFromModel SequentialFeatureSelector"
        ),
        "feature selector",
    ),
    # projections and decompositions
    **dict.fromkeys(
        _names(
            "PCA IncrementalPCA KernelPCA SparsePCA TruncatedSVD FastICA NMF FactorAnalysis "
            "LinearDiscriminantAnalysis"
        ),
        "decomposition",
    ),
    # resamplers (`fit_resample` on the whole set puts synthetic copies of test rows in training)
    **dict.fromkeys(
        _names(
            "SMOTE SMOTENC SMOTEN ADASYN BorderlineSMOTE SVMSMOTE KMeansSMOTE RandomOverSampler "
            "RandomUnderSampler NearMiss TomekLinks EditedNearestNeighbours SMOTETomek SMOTEENN"
        ),
        "resampler",
    ),
}
"""Last name component -> kind, for classes whose ``fit`` learns from the data it sees."""

VOCABULARY_STEPS: dict[str, frozenset[str]] = {
    "CountVectorizer": frozenset({"min_df", "max_df", "max_features"}),
}
"""Steps that learn only a vocabulary unless given one of these keywords (then: document frequencies)."""

COMPOSITE_STEPS = frozenset(
    {
        "Pipeline",
        "make_pipeline",
        "ColumnTransformer",
        "make_column_transformer",
        "FeatureUnion",
        "make_union",
    }
)
"""Containers that are a fitted step when one of their parts is (``make_pipeline(SimpleImputer(), ...)``)."""

FIT_METHODS = frozenset({"fit", "fit_transform", "fit_resample"})
"""Methods that fit a step on their arguments."""

FIT_OUTPUT_METHODS = frozenset({"fit_transform", "fit_resample"})
TRANSFORM_METHODS = frozenset({"transform", "resample"})
"""Methods of a fitted step whose output carries what the fit learnt."""

SPLIT_FUNCTIONS = frozenset({"train_test_split"})
"""Functions that split their positional arguments into train and test parts."""

SPLITTER_CLASSES = frozenset(
    {
        "KFold",
        "StratifiedKFold",
        "GroupKFold",
        "StratifiedGroupKFold",
        "ShuffleSplit",
        "StratifiedShuffleSplit",
        "GroupShuffleSplit",
        "RepeatedKFold",
        "RepeatedStratifiedKFold",
        "TimeSeriesSplit",
        "LeaveOneOut",
        "LeavePOut",
        "LeaveOneGroupOut",
        "LeavePGroupsOut",
        "PredefinedSplit",
        "MultilabelStratifiedKFold",
        "IterativeStratification",
    }
)
"""Classes whose ``.split(X, ...)`` yields train/test indices."""

SPLIT_PACKAGES = frozenset({"sklearn", "iterstrat", "skmultilearn", "cuml"})

CV_FUNCTIONS = frozenset(
    {
        "cross_val_score",
        "cross_validate",
        "cross_val_predict",
        "learning_curve",
        "validation_curve",
        "permutation_test_score",
    }
)
"""Functions that cross-validate an estimator on their data arguments (positions 1 and on, ``X``, ``y``)."""

SEARCH_CLASSES = frozenset(
    {"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV", "BayesSearchCV"}
)
"""Classes whose ``.fit(X, y)`` cross-validates."""

SEARCH_PACKAGES = frozenset({"sklearn", "skopt"})


def _rooted(name: str, packages: frozenset[str]) -> str | None:
    root, _, _ = name.partition(".")
    return name.rpartition(".")[2] if root in packages else None


def step_kind(name: str | None, keywords: frozenset[str] = frozenset()) -> str | None:
    """The kind of fitted step a resolved constructor name called with ``keywords`` is (``"scaler"``)."""
    last = _rooted(name or "", STEP_PACKAGES)
    if not last:
        return None
    if last in VOCABULARY_STEPS:
        return "vectorizer" if keywords & VOCABULARY_STEPS[last] else None
    return FITTED_STEPS.get(last)


def is_composite(name: str | None) -> bool:
    last = _rooted(name or "", STEP_PACKAGES)
    return last in COMPOSITE_STEPS


def is_split_function(name: str | None) -> bool:
    return _rooted(name or "", SPLIT_PACKAGES) in SPLIT_FUNCTIONS


def is_splitter_class(name: str | None) -> bool:
    return _rooted(name or "", SPLIT_PACKAGES) in SPLITTER_CLASSES


def is_cv_function(name: str | None) -> bool:
    return _rooted(name or "", SPLIT_PACKAGES) in CV_FUNCTIONS


def is_search_class(name: str | None) -> bool:
    return _rooted(name or "", SEARCH_PACKAGES) in SEARCH_CLASSES


def is_known(name: str | None) -> bool:
    """Any name of this table (a step, composite, splitter, split or CV function, search)."""
    if not name:
        return False
    return name.partition(".")[0] in STEP_PACKAGES | SPLIT_PACKAGES | SEARCH_PACKAGES and (
        _last(name) in UNRESOLVED_NAMES
    )


def _last(name: str) -> str:
    return name.rpartition(".")[2]


SPLITTING_NAMES = frozenset({*SPLIT_FUNCTIONS, *CV_FUNCTIONS, *SEARCH_CLASSES})
"""Last name components of calls that split or cross-validate (with ``.split`` of a splitter)."""

UNRESOLVED_NAMES = frozenset(
    {
        *FITTED_STEPS,
        *VOCABULARY_STEPS,
        *COMPOSITE_STEPS,
        *SPLIT_FUNCTIONS,
        *SPLITTER_CLASSES,
        *CV_FUNCTIONS,
        *SEARCH_CLASSES,
    }
)
"""Bare names recognised when nothing binds them (``from sklearn.preprocessing import *``)."""
