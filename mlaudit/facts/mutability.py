"""THE table of mutable objects and in-place operations (MLA102 mutated-module-state), as
``ml_apis`` is the table of I/O APIs: which constructors build a mutable object, of which kind, and
which operations change an object of that kind in place.

Kinds: ``list``, ``dict``, ``set``, ``deque``, ``frame`` (pandas DataFrame/Series) and ``array``
(numpy). Operations are the strings ``mlaudit.facts.state`` records in ``MutationFact.operation``:
``method:<name>``, ``inplace:<name>``, ``nested-method:<name>`` / ``nested-inplace:<name>`` (on an
element, ``X[k].append(v)``), ``function:<qualified name>`` (``heapq.heappush(X, v)``), ``setitem``,
``delitem``, ``setattr`` and ``augassign``.
"""

from __future__ import annotations

LIST = "list"
DICT = "dict"
SET = "set"
DEQUE = "deque"
FRAME = "frame"
ARRAY = "array"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Calls (resolved through imports) that build a mutable object.
_NUMPY_ARRAYS = _words("zeros ones empty full array zeros_like ones_like empty_like full_like arange")
MUTABLE_FACTORIES: dict[str, str] = {
    "builtins.list": LIST,
    "builtins.bytearray": LIST,
    "builtins.dict": DICT,
    "builtins.dict.fromkeys": DICT,
    "builtins.set": SET,
    "collections.defaultdict": DICT,
    "collections.OrderedDict": DICT,
    "collections.Counter": DICT,
    "collections.ChainMap": DICT,
    "collections.deque": DEQUE,
    "pandas.DataFrame": FRAME,
    "pandas.Series": FRAME,
    "pandas.core.frame.DataFrame": FRAME,
    "pandas.core.series.Series": FRAME,
    **{f"numpy.{name}": ARRAY for name in _NUMPY_ARRAYS},
}

# In-place methods per kind. Methods that return a new object on that kind (``DataFrame.add``,
# ``ndarray.copy``) are deliberately absent.
METHODS: dict[str, frozenset[str]] = {
    LIST: _words(
        "append extend insert pop remove clear sort reverse __setitem__ __delitem__ __iadd__ __imul__"
    ),
    DICT: _words("update setdefault pop popitem clear move_to_end subtract __setitem__ __delitem__ __ior__"),
    SET: _words(
        "add discard remove pop clear update difference_update intersection_update "
        "symmetric_difference_update __ior__ __iand__ __isub__ __ixor__"
    ),
    DEQUE: _words("append appendleft extend extendleft pop popleft remove clear rotate insert reverse"),
    FRAME: _words("insert pop update __setitem__ __delitem__"),
    ARRAY: _words("sort fill resize put itemset partition setflags __setitem__"),
}
CONTAINER_METHODS = METHODS[LIST] | METHODS[DICT] | METHODS[SET] | METHODS[DEQUE]
ALL_METHODS = CONTAINER_METHODS | METHODS[FRAME] | METHODS[ARRAY]

# Functions that mutate their first argument in place, and the kinds they apply to.
FUNCTION_MUTATORS: dict[str, frozenset[str]] = {
    **{f"heapq.{n}": frozenset({LIST}) for n in _words("heappush heappop heapify heapreplace heappushpop")},
    **{f"bisect.{n}": frozenset({LIST}) for n in _words("insort insort_left insort_right")},
    "random.shuffle": frozenset({LIST, ARRAY}),
    "numpy.random.shuffle": frozenset({LIST, ARRAY}),
    **{f"numpy.{n}": frozenset({ARRAY}) for n in _words("copyto put place putmask fill_diagonal")},
}
MUTATOR_NAMES = frozenset(name.rsplit(".", 1)[1] for name in FUNCTION_MUTATORS)

# Attribute accessors that still address the same object when assigned through:
# ``df.loc[i, "c"] = v`` mutates ``df``; ``arr.flat[0] = v`` mutates ``arr``.
ACCESSORS = _words("loc iloc at iat flat T real imag values")


def mutates(operation: str, kind: str) -> bool:
    """Whether ``operation`` (a ``MutationFact.operation``) changes an object of ``kind`` in place."""
    op, _, detail = operation.partition(":")
    if op in ("setitem", "delitem", "setattr", "augassign"):
        return True
    if op == "method":
        return detail in METHODS.get(kind, frozenset())
    if op == "inplace":  # `df.drop(columns=c, inplace=True)`
        return kind in (FRAME, ARRAY)
    if op == "nested-method":  # `REGISTRY[key].append(fn)`: the inner object belongs to the state
        if kind in (LIST, DICT, SET, DEQUE):
            return detail in CONTAINER_METHODS
        return kind == ARRAY and detail in METHODS[ARRAY]
    if op == "nested-inplace":  # `FRAME["c"].fillna(0, inplace=True)`, `FRAMES[k].drop(..., inplace=True)`
        return kind in (FRAME, ARRAY, LIST, DICT)
    if op == "function":
        return kind in FUNCTION_MUTATORS.get(detail, frozenset())
    return False


def describe(operation: str) -> str:
    """A short human form of an operation for messages: ``.append()``, ``[...] =``."""
    op, _, detail = operation.partition(":")
    if op in ("method", "inplace", "nested-method", "nested-inplace"):
        return f".{detail}({'inplace=True' if 'inplace' in op else ''})"
    if op == "function":
        return f"{detail}()"
    return {"setitem": "item assignment", "delitem": "del", "setattr": "attribute assignment"}.get(
        op, "augmented assignment"
    )
