"""Environment bootstrap at import: module-level code that reads a file into ``os.environ``.

``if Path("secrets.json").exists(): for k, v in json.loads(Path("secrets.json").read_text()).items():
os.environ[k] = v`` is ``dotenv.load_dotenv()`` written by hand: it configures the process (credentials
and settings in environment variables, read by the libraries the package then uses) and loads no data
or model. The ``DECLARATIVE_CALLS`` of ``mlaudit.facts.frameworks`` already count ``load_dotenv`` and
``os.environ.update`` as process set-up; MLA103 leaves this form alone too.

A top-level statement is a bootstrap when it writes ``os.environ`` (``os.environ[k] = v``,
``os.environ.update(...)``, ``os.environ.setdefault(...)``, ``os.putenv(...)``); so is a top-level
assignment of a name that only such statements (and its own binding) use
(``secrets = json.load(open(".env.json"))`` then ``os.environ.update(secrets)``). The reads inside them
are its reads when they read text or a settings format (``open``, ``Path.read_text``, ``json``, YAML,
TOML, INI): a pickle, a frame or a model loaded there is still data. Pure functions of the CST and the file's import table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst

_ENV = "os.environ"
_ENV_METHODS = frozenset({"update", "setdefault", "__setitem__"})
_PUTENV = "os.putenv"
_TEXT_READS = (
    "builtins.open",
    "io.open",
    "codecs.open",
    "pathlib.",
    "Path.",
    "json.",
    "yaml.",
    "toml.",
    "tomllib.",
    "tomli.",
    "configparser.",
    "dotenv.",
)
"""What a bootstrap reads with: plain text files and settings formats (a pickle or a frame stays data)."""


def text_read(api: str) -> bool:
    """``open``, ``Path.read_text``, ``json.load``, ``yaml.safe_load``...: how secrets and settings are read."""
    return api.startswith(_TEXT_READS)


Resolve = Callable[[cst.BaseExpression], "str | None"]


class _Nodes(cst.CSTVisitor):
    """Every node of a subtree, by type of interest."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.names: list[cst.Name] = []
        self.stores: list[cst.BaseExpression] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.stores.append(node.target)


def _nodes(node: cst.CSTNode) -> _Nodes:
    found = _Nodes()
    node.visit(found)
    return found


def _writes_env(nodes: _Nodes, resolve: Resolve) -> bool:
    for target in nodes.stores:
        if isinstance(target, cst.Subscript) and resolve(target.value) == _ENV:
            return True
    for call in nodes.calls:
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _ENV_METHODS
            and resolve(func.value) == _ENV
        ):
            return True
        if resolve(func) == _PUTENV:
            return True
    return False


def _top_level(module: cst.Module) -> Iterator[cst.CSTNode]:
    """Module-level statements (small statements of a line one by one; compound statements whole)."""
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        else:
            yield stmt


def bootstrap_calls(module: cst.Module, resolve: Resolve) -> frozenset[int]:
    """``id`` of every call inside the module's environment-bootstrap statements."""
    statements = [(stmt, _nodes(stmt)) for stmt in _top_level(module)]
    writers = [(stmt, nodes) for stmt, nodes in statements if _writes_env(nodes, resolve)]
    if not writers:
        return frozenset()
    used = {n.value for _, nodes in writers for n in nodes.names}
    chosen = [stmt for stmt, _ in writers]
    everywhere = _nodes(module).names
    for stmt, _ in statements:
        if not isinstance(stmt, cst.Assign) or any(stmt is w for w in chosen):
            continue
        targets = [t.target for t in stmt.targets]
        if not targets or not all(isinstance(t, cst.Name) and t.value in used for t in targets):
            continue
        if all(
            _only_bootstrap_uses(t.value, stmt, chosen, everywhere)
            for t in targets
            if isinstance(t, cst.Name)
        ):
            chosen.append(stmt)
    return frozenset(id(call) for stmt in chosen for call in _nodes(stmt).calls)


def _only_bootstrap_uses(
    name: str, binding: cst.Assign, writers: list[cst.CSTNode], names: list[cst.Name]
) -> bool:
    """Every use of ``name`` in the module (``names``: all its ``Name`` nodes) is its binding or inside an
    environment-writing statement."""
    inside = {id(n) for w in writers for n in _nodes(w).names if n.value == name}
    inside |= {id(t.target) for t in binding.targets}
    return all(id(n) in inside for n in names if n.value == name)
