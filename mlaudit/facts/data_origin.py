"""Where a file's data come from, as far as its calls say (MLA704).

A training loop on data the program makes up itself (a toy model memorising three hard-coded sentences,
an RPC or pipeline demo fed ``torch.randn`` batches, a regression on a random target polynomial) has no
result anyone reproduces: its output is timing, a log line or the printout of what it memorised. A
training loop on data it reads (a CSV, a ``torchvision.datasets.MNIST``, a ``load_dataset``, a
``--data-dir`` argument) reports a number somebody compares. ``DataEvidence`` is fed every call of one
file and answers at the end:

* ``read``: the file reads data, or may: an I/O call of the API table that reads a file, loads a model,
  uses the network or queries a database (``open``, ``pd.read_csv``, ``np.load``, ``torch.load``,
  ``load_dataset``, ``requests.get``), a dataset package (``torchvision.datasets``, ``torchtext.datasets``,
  ``tensorflow.keras.datasets``, ``tensorflow_datasets``, ``sklearn.datasets.load_*``/``fetch_*``), a call
  whose name speaks of loading or reading (``get_dataset``, ``load_data``, ``read_corpus``,
  ``from_pretrained``, ``download``), or a command-line option naming a data path (``--data``,
  ``--train-file``, ``--dataset``, ``--data-dir``);
* ``synthetic``: nothing of the above, the file builds tensors itself, from literals or random factories
  (``torch.randn``, ``torch.LongTensor(batch)``, ``torch.Tensor([[1.0], [2.0]])``, ``np.random.rand``,
  ``sklearn.datasets.make_classification``), and it measures nothing: no name speaks of an evaluation
  (``accuracy``, ``frac_incorrect``, ``evaluate``, ``val_loss``, ``metrics``) and no metric API is called
  (``sklearn.metrics``, ``cross_validate``, ``torchmetrics``). A synthetic task that is evaluated (the copy
  or parity task of a transformer library, whose error rate compares architectures) has a result;
* ``""``: neither (nothing known about its data).
"""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.facts.functions import classify_call
from mlaudit.facts.ml_apis import DATABASE, MODEL_LOAD, NETWORK, READ
from mlaudit.facts.ml_repro import words

READ_DATA = "read"
SYNTHETIC_DATA = "synthetic"

_READ_KINDS = frozenset({READ, MODEL_LOAD, NETWORK, DATABASE})
_DATASET_PACKAGES = (
    "torchvision.datasets.",
    "torchtext.datasets.",
    "torchtext.legacy.datasets.",
    "torchaudio.datasets.",
    "torch_geometric.datasets.",
    "tensorflow.keras.datasets.",
    "keras.datasets.",
    "tensorflow_datasets.",
    "datasets.",
    "sklearn.datasets.load_",
    "sklearn.datasets.fetch_",
)
_READ_WORDS = frozenset(
    {
        "load",
        "loads",
        "read",
        "reader",
        "fetch",
        "download",
        "open",
        "dataset",
        "datasets",
        "corpus",
        "pretrained",
    }
)
"""Words of a call's last name that say it brings data in (``load_data``, ``get_dataset``, ``MyDataset``)."""
_NOT_READING = frozenset({"load_state_dict", "TensorDataset", "random_split", "Subset", "ConcatDataset"})
"""Calls whose names have such words but that only rearrange data already in memory."""
_TENSOR_LIBRARIES = frozenset({"torch", "numpy"})
"""Their reading calls are in the API table; their other names (``from_pretrained``) take tensors."""
_FROM_TENSORS = frozenset({"torch.nn.Embedding.from_pretrained", "torch.nn.EmbeddingBag.from_pretrained"})
"""``from_pretrained`` of a torch layer takes a tensor (a sinusoid table), not a file."""
_OPTION_WORDS = frozenset(
    {"data", "dataset", "datasets", "file", "files", "path", "dir", "root", "csv", "corpus"}
)
"""Words of a command-line option that names where the data are (``--data-dir``, ``--train_file``)."""
_SYNTHETIC_FACTORIES = frozenset(
    {
        "torch.rand",
        "torch.randn",
        "torch.randint",
        "torch.randperm",
        "torch.rand_like",
        "torch.randn_like",
        "torch.randint_like",
        "torch.normal",
        "torch.Tensor",
        "torch.tensor",
        "torch.LongTensor",
        "torch.FloatTensor",
        "torch.IntTensor",
        "torch.DoubleTensor",
        "torch.BoolTensor",
        "torch.arange",
        "torch.linspace",
    }
)
_SYNTHETIC_PREFIXES = ("numpy.random.", "sklearn.datasets.make_")
_RANDOM_FILL_METHODS = frozenset({"random_", "normal_", "uniform_"})
_EVALUATION_WORDS = frozenset(
    {
        "accuracy",
        "correct",
        "incorrect",
        "incorrects",
        "f1",
        "auc",
        "metric",
        "metrics",
        "precision",
        "recall",
        "perplexity",
        "ppl",
        "bleu",
        "eval",
        "evaluate",
        "evaluation",
        "val",
        "valid",
        "validation",
    }
)
"""Words of a name that say the program measures a result (``frac_incorrect``, ``evaluate``, ``val_loss``).
Not ``score``/``scores`` (attention scores) nor ``test`` (``test_batch`` of a toy demo's printout)."""
_EVALUATION_APIS = (
    "sklearn.metrics.",
    "sklearn.model_selection.cross_val",
    "sklearn.model_selection.cross_validate",
    "torchmetrics.",
    "evaluate.",
)


def _last(resolved: str | None, func: cst.BaseExpression) -> str:
    if resolved:
        return resolved.rpartition(".")[2]
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _option_names(call: cst.Call) -> list[str]:
    """The ``--long-option`` strings of an ``add_argument`` call."""
    names = []
    for arg in call.args:
        value = arg.value
        if arg.keyword is None and isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            if isinstance(text, str) and text.startswith("--"):
                names.append(text[2:])
    return names


class DataEvidence:
    """What one file's calls say about where its data come from (see the module docstring)."""

    def __init__(self, ctx: FileContext) -> None:
        self._ctx = ctx
        self.reads = False
        self.synthetic = False
        self.evaluates = False

    def name(self, identifier: str) -> None:
        """Every name of the file (variables, functions, attributes): does one speak of an evaluation?"""
        if not self.evaluates and _EVALUATION_WORDS & set(words(identifier)):
            self.evaluates = True

    def note(self, call: cst.Call) -> None:
        if self.reads:
            return
        func = call.func
        resolved = self._ctx.resolve(func)
        last = _last(resolved, func)
        if last == "add_argument":
            self.reads = any(_OPTION_WORDS & set(words(name)) for name in _option_names(call))
            return
        if (resolved or "").startswith(_EVALUATION_APIS):
            self.evaluates = True
        if resolved in _SYNTHETIC_FACTORIES or (resolved or "").startswith(_SYNTHETIC_PREFIXES):
            self.synthetic = True
            return
        if isinstance(func, cst.Attribute) and func.attr.value in _RANDOM_FILL_METHODS:
            self.synthetic = True  # torch.LongTensor(n).random_(0, k)
            return
        self.reads = self._reads(call, resolved, last)

    def _reads(self, call: cst.Call, resolved: str | None, last: str) -> bool:
        if resolved is not None and resolved.startswith(_DATASET_PACKAGES):
            return True
        if resolved in _FROM_TENSORS:
            return False
        tensor_library = resolved is not None and resolved.partition(".")[0] in _TENSOR_LIBRARIES
        api = classify_call(self._ctx, call, methods=not tensor_library)
        if api is not None:
            return api.kind in _READ_KINDS
        return not tensor_library and last not in _NOT_READING and bool(_READ_WORDS & set(words(last)))

    @property
    def origin(self) -> str:
        if self.reads:
            return READ_DATA
        return SYNTHETIC_DATA if self.synthetic and not self.evaluates else ""
