"""What data-transformation code looks like, without types (MLA501/MLA502: duplicated preprocessing).

Each statement of a clone block is classified once, by the calls and subscripts it contains:

* ``data``: a strong sign of an operation on data - a resolved pandas/polars/scikit-learn preprocessing
  call, a DataFrame-specific method (``.fillna(``, ``.groupby(``, ``.fit_transform(``...), a pandas
  accessor or indexer (``.str.lower()``, ``.dt.year``, ``.loc[...]``), a column of a receiver named like
  data (``df["age"]``, ``X_train[:, 0]``), or a generic method (``.drop(``, ``.clip(``) on such a receiver;
* ``weak``: array arithmetic that model and training code use as much as data code (resolved numpy,
  torch and scipy functions; generic methods such as ``.sum(``, ``.view(``, ``.argmax(`` in a file that
  imports a data package);
* ``other``: code that is certainly not data transformation - model and layer definitions
  (``torch.nn``, keras layers), losses and optimisation steps (``loss.backward()``, ``optimizer.step()``),
  plotting, argument parsing, logging, printing and experiment tracking;
* ``const``: a ``name = literal`` assignment (a configuration value);
* empty: anything else (control flow headers, ``return``, plain assignments).

``copy_is_data`` decides for one copy of a clone from the kinds of its statements. Vocabularies live in
the tables below, never in the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def _words(text: str) -> list[str]:
    return text.split()


DATA = "data"
WEAK = "weak"
OTHER = "other"
CONST = "const"
MENTION = "mention"
"""A variable named like data is used (``np.expm1(y_val)``): makes a ``weak`` statement ``data``."""
SHAPE = "shape"
"""Stacking, splitting, reshaping or a type check (``np.vstack``, ``sparse.issparse``): array plumbing,
``weak`` whatever it is applied to."""

# --- resolved names ---------------------------------------------------------------------------------
# Prefixes of resolved (import-qualified) names, first match wins: more specific prefixes first.
_RESOLVED: tuple[tuple[str, str], ...] = (
    # configuration, seeding, testing and display of the data libraries
    ("numpy.random.seed", OTHER),
    ("numpy.set_printoptions", OTHER),
    ("numpy.seterr", OTHER),
    ("numpy.testing.", OTHER),
    ("pandas.set_option", OTHER),
    ("pandas.reset_option", OTHER),
    ("pandas.option_context", OTHER),
    ("pandas.options.", OTHER),
    ("pandas.testing.", OTHER),
    ("pandas.plotting.", OTHER),
    # model, layer, loss, optimiser and training machinery
    ("torch.nn.", OTHER),
    ("torch.optim.", OTHER),
    ("torch.cuda.", OTHER),
    ("torch.distributed.", OTHER),
    ("torch.backends.", OTHER),
    ("torch.manual_seed", OTHER),
    ("torch.set_", OTHER),
    ("torch.no_grad", OTHER),
    ("torch.autograd.", OTHER),
    ("torch.jit.", OTHER),
    ("torch.onnx.", OTHER),
    ("torch.testing.", OTHER),
    ("torch.utils.tensorboard", OTHER),
    ("torch.utils.data.", ""),
    ("jax.nn.", OTHER),
    ("flax.", OTHER),
    ("optax.", OTHER),
    ("keras.", OTHER),
    ("tensorflow.keras.", OTHER),
    ("tensorflow.", WEAK),
    ("transformers.", OTHER),
    ("lightning.", OTHER),
    ("pytorch_lightning.", OTHER),
    ("timm.", OTHER),
    # plotting, argument parsing, logging, tracking, progress bars
    ("matplotlib.", OTHER),
    ("seaborn.", OTHER),
    ("plotly.", OTHER),
    ("bokeh.", OTHER),
    ("altair.", OTHER),
    ("argparse.", OTHER),
    ("tyro.", OTHER),
    ("click.", OTHER),
    ("typer.", OTHER),
    ("fire.", OTHER),
    ("hydra.", OTHER),
    ("omegaconf.", OTHER),
    ("logging.", OTHER),
    ("loguru.", OTHER),
    ("warnings.", OTHER),
    ("builtins.print", OTHER),
    ("wandb.", OTHER),
    ("mlflow.", OTHER),
    ("tensorboard", OTHER),
    ("tensorboardX.", OTHER),
    ("tqdm.", OTHER),
    ("time.", OTHER),
    # data transformation
    ("pandas.", DATA),
    ("polars.", DATA),
    ("dask.dataframe.", DATA),
    ("modin.pandas.", DATA),
    ("pyarrow.compute.", DATA),
    ("sklearn.preprocessing.", DATA),
    ("sklearn.impute.", DATA),
    ("sklearn.feature_extraction.", DATA),
    ("sklearn.feature_selection.", DATA),
    ("sklearn.decomposition.", DATA),
    ("sklearn.compose.", DATA),
    ("sklearn.model_selection.train_test_split", DATA),
    ("sklearn.pipeline.", DATA),
    ("imblearn.", DATA),
    ("category_encoders.", DATA),
    ("torchvision.transforms.", DATA),
    ("albumentations.", DATA),
    ("numpy.", WEAK),
    ("torch.", WEAK),
    ("jax.numpy.", WEAK),
    ("scipy.stats.", WEAK),
    ("scipy.sparse.", WEAK),
    ("dask.array.", WEAK),
)

# --- methods on unresolved receivers ----------------------------------------------------------------
# Methods this specific to tabular data are data code whatever the receiver.
DATA_METHODS = frozenset(
    _words(
        "fillna dropna isna isnull notna notnull merge groupby pivot_table pivot melt drop_duplicates "
        "sort_values sort_index reset_index set_index value_counts interpolate resample rolling "
        "get_dummies fit_transform inverse_transform select_dtypes nunique cumsum cumprod pct_change "
        "explode stack unstack crosstab qcut fit_resample to_datetime to_numeric ffill bfill reindex "
        "nlargest nsmallest applymap duplicated"
    )
)
# Methods data code uses as much as model or numeric code: weak evidence, and only in files that import
# a data package (or on a receiver named like data, where they are strong).
GENERIC_METHODS = frozenset(
    _words(
        "apply map transform replace drop rename astype clip reshape agg aggregate join concat assign "
        "query where mask sum mean median std var min max round abs quantile diff shift cut flatten ravel "
        "transpose view float long int argmax argmin any all isin between sample squeeze unsqueeze permute "
        "to_numpy values tolist predict predict_proba"
    )
)
# pandas accessors and indexers: ``df["a"].str.lower()``, ``df.loc[mask, "a"]``.
ACCESSORS = frozenset({"str", "dt", "cat", "sparse"})
INDEXERS = frozenset({"loc", "iloc", "at", "iat"})
# Methods that plot, log, parse arguments, define or train models: not data transformation.
OTHER_METHODS = frozenset(
    _words(
        "plot scatter imshow hist bar barh pie boxplot violinplot heatmap contour contourf fill_between "
        "errorbar hlines vlines axhline axvline annotate text set_xlabel set_ylabel set_title set_xlim "
        "set_ylim set_xticks set_yticks set_xticklabels set_yticklabels xlabel ylabel title xlim ylim "
        "xticks yticks legend savefig show subplots subplot figure tight_layout grid axis colorbar "
        "suptitle add_subplot set_aspect "
        "add_argument add_argument_group parse_args parse_known_args add_parser add_subparsers "
        "info debug warning warn error exception critical log log_metric log_metrics log_param log_params "
        "log_artifact add_scalar add_scalars add_text add_image add_images add_histogram add_figure "
        "set_description set_postfix "
        "backward zero_grad step register_buffer register_parameter parameters named_parameters "
        "state_dict load_state_dict train eval cuda cpu compile summary"
    )
)
# Receivers (the leftmost name of a call chain) that plot, log, parse or train.
OTHER_RECEIVERS = frozenset(
    _words(
        "plt ax axes axs fig figure logger log logging writer tb_writer summary_writer parser argparser "
        "wandb mlflow optimizer optim scheduler lr_scheduler scaler_amp accelerator trainer pbar progress "
        "criterion loss_fn loss_func"
    )
)
OTHER_BUILTINS = frozenset({"print", "input", "breakpoint"})

# Names of variables holding data: ``df``, ``train_df``, ``df_test``, ``X``, ``X_train``, ``data``,
# ``y_true``/``y_pred`` (predictions turned into evaluation space).
_DATA_NAME = re.compile(
    r"^(df|dfs|frame|data|dataframe|dataset|X|X_[A-Za-z0-9_]+|x_(train|test|val|valid)"
    r"|y_(train|test|val|valid|true|pred|prob|proba|score|scores|hat)"
    r"|[A-Za-z0-9]+_df|df_[A-Za-z0-9_]+|[A-Za-z0-9]+_data|data_[A-Za-z0-9_]+|features?|labels?)$"
)


# Calls whose literal arguments are shapes or axes, and keywords whose values are display or shape
# settings: a copy that differs only there has not drifted (MLA502).
SHAPE_CALLS = frozenset(
    _words(
        "reshape view zeros ones empty full zeros_like ones_like full_like randn rand randint arange "
        "linspace expand expand_as repeat tile permute transpose unsqueeze squeeze flatten unflatten "
        "resize split chunk stack cat concatenate hstack vstack narrow swapaxes moveaxis"
    )
)
QUIET_KEYWORDS = frozenset(
    _words(
        "axis dim dims shape size figsize dpi color colour label title fontsize alpha linewidth marker "
        "cmap verbose desc keepdim keepdims"
    )
)


def is_shape_call(name: str) -> bool:
    return name in SHAPE_CALLS


def plumbing(kind: str, name: str) -> str:
    """``weak`` array plumbing (stacking, reshaping, ``is*`` checks) is ``shape``: it never becomes data."""
    if kind == WEAK and (name in SHAPE_CALLS or name.startswith("is")):
        return SHAPE
    return kind


def is_quiet_keyword(keyword: str) -> bool:
    return keyword in QUIET_KEYWORDS


def is_data_name(name: str) -> bool:
    """A variable named like a DataFrame or a feature matrix."""
    return bool(_DATA_NAME.match(name))


def resolved_kind(name: str) -> str:
    """Kind of a call of a resolved (import-qualified) name: ``data``, ``weak``, ``other`` or ``""``."""
    if name.startswith("builtins."):
        return OTHER if name.removeprefix("builtins.") in OTHER_BUILTINS else ""
    for prefix, kind in _RESOLVED:
        if name.startswith(prefix):
            return kind
    return ""


def method_kind(method: str, receiver: str | None, *, accessor: bool, imports_data: bool) -> str:
    """Kind of a call ``<receiver...>.method(...)`` whose receiver is not an import. ``receiver``: the
    leftmost name of the chain; ``accessor``: the method is called on a pandas accessor (``.str``)."""
    if method in OTHER_METHODS or _other_receiver(receiver):
        return OTHER
    if accessor or method in DATA_METHODS:
        return DATA
    if method in GENERIC_METHODS:
        if receiver is not None and is_data_name(receiver):
            return DATA
        return WEAK if imports_data else ""
    return ""


def _other_receiver(receiver: str | None) -> bool:
    """A receiver that plots, logs, parses, optimises or computes a loss (``plt``, ``loss_fn``)."""
    if receiver is None:
        return False
    lowered = receiver.lower()
    return receiver in OTHER_RECEIVERS or "loss" in lowered or "criterion" in lowered


def function_kind(name: str) -> str:
    """Kind of a call of a plain, unresolved function name (``criterion(out, y)``, ``print(x)``)."""
    lowered = name.lower()
    if name in OTHER_BUILTINS or "loss" in lowered or "criterion" in lowered or lowered.startswith("plot"):
        return OTHER
    return ""


def combine(kinds: Iterable[str]) -> str:
    """The kind of a statement from the kinds of its parts: any ``other`` wins, then ``data``; array
    arithmetic on a variable named like data (``np.log1p(X_train)``) is ``data``, else ``weak``."""
    found = set(kinds)
    if OTHER in found:
        return OTHER
    if DATA in found or (WEAK in found and MENTION in found):
        return DATA
    return WEAK if WEAK in found or SHAPE in found else ""


def copy_is_data(kinds: Iterable[str]) -> bool:
    """One copy of a clone is data-transformation code: two statements show data operations, at least a
    third operate on data or arrays (control flow, returns and plain assignments are neutral), and at most
    one in five plots, logs, parses, trains or sets a ``name = literal`` (a logged shape in a cleaning
    function is fine, a plotting cell that computes one mean is not)."""
    counted = list(kinds)
    total = len(counted)
    data = counted.count(DATA)
    weak = counted.count(WEAK)
    noise = counted.count(OTHER) + counted.count(CONST)
    return total > 0 and data >= 2 and (data + weak) * 3 >= total and noise * 5 <= total
