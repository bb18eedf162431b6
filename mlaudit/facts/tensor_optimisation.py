"""Whether a file's torch training loop is deterministic without a seed (MLA704).

A loop is random when what it optimises starts random (a module's freshly initialised ``.parameters()``,
``torch.randn(..., requires_grad=True)``) or when its data arrive in random order or with random noise
(a shuffled ``DataLoader``, ``torch.rand``, ``np.random``, dropout). Neural style transfer optimises an image
cloned from the content image (``Adam([target])``) through a frozen pretrained network: nothing random,
nothing to seed.

``LoopEvidence`` is fed every call of one file (by the randomness extractor) and answers at the end: the
file's optimisers all take explicit tensors (no ``.parameters()``), and no random operation appears.
"""

from __future__ import annotations

import libcst as cst

from mlaudit.facts.names import dotted

_RANDOM_PREFIXES = (
    "torch.rand",
    "torch.randn",
    "torch.randint",
    "torch.randperm",
    "torch.normal",
    "torch.bernoulli",
    "torch.multinomial",
    "torch.poisson",
    "torch.nn.init.",
    "torch.distributions.",
    "torch.nn.Dropout",
    "torch.nn.functional.dropout",
    "numpy.random.",
    "random.",
    "torchvision.transforms.Random",
    "torchvision.transforms.v2.Random",
)
_RANDOM_METHODS = frozenset(
    {"normal_", "uniform_", "random_", "bernoulli_", "exponential_", "geometric_", "cauchy_", "log_normal_"}
)


def _is_optimiser(resolved: str | None) -> bool:
    if resolved is None or not resolved.startswith("torch.optim."):
        return False
    last = resolved.rpartition(".")[2]
    return last[:1].isupper() and "lr_scheduler" not in resolved


def _explicit_tensors(call: cst.Call) -> bool:
    """``Adam([target], lr=...)``: a list or tuple of names/attributes, no ``.parameters()`` call."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    params = positional[0].value if positional else None
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "params":
            params = arg.value
    if not isinstance(params, cst.List | cst.Tuple):
        return False
    return all(isinstance(e.value, cst.Name | cst.Attribute) for e in params.elements)


def _shuffled(call: cst.Call) -> bool:
    return any(
        a.keyword is not None
        and a.keyword.value == "shuffle"
        and not (isinstance(a.value, cst.Name) and a.value.value == "False")
        for a in call.args
    )


class LoopEvidence:
    """What one file's calls say about its training loop's randomness."""

    def __init__(self) -> None:
        self.optimisers = 0
        self.tensor_optimisers = 0
        self.random = False

    def note(self, call: cst.Call, resolved: str | None) -> None:
        func = call.func
        last = func.attr.value if isinstance(func, cst.Attribute) else (dotted(func) or "")
        if _is_optimiser(resolved):
            self.optimisers += 1
            self.tensor_optimisers += _explicit_tensors(call)
        elif (
            (resolved is not None and resolved.startswith(_RANDOM_PREFIXES))
            or last in _RANDOM_METHODS
            or (last.endswith("DataLoader") and _shuffled(call))
        ):
            self.random = True

    @property
    def deterministic(self) -> bool:
        """Every optimiser takes explicit tensors, and nothing random is drawn in the file."""
        return self.optimisers > 0 and self.optimisers == self.tensor_optimisers and not self.random
