"""The trust boundary (issue 7, item 7): mlaudit never imports, executes or unpickles what it audits,
and never touches the network.

A hostile project plants code that would leave a marker file if it ever ran: at import of its own
modules, of ``conftest.py``/``setup.py``/``sitecustomize.py``, of files named like mlaudit's own
dependencies and of the standard library (``python -m mlaudit`` puts the current directory first on
``sys.path``), in notebook cells, and in pickles (``model.pkl`` runs a command when unpickled). Every
command that reads a project (``check`` in every format, through the process pool and the cache, and
``graph``) runs over it: no marker may appear.

The network check runs those commands with a ``sitecustomize`` (via ``PYTHONPATH``) that replaces
``socket.socket.connect``, ``create_connection`` and ``getaddrinfo`` in every process, the pool's
workers included, by functions that log the attempt and refuse; the log must stay empty. A control
run proves the trap springs.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from mlaudit.reporters import FORMATS
from tests.conftest import notebook, write_files

MARKERS = "markers"


def planted(marker_dir: Path, name: str) -> str:
    """Module-level code that leaves ``marker_dir/name`` if it is ever executed."""
    return (
        f"import pathlib\npathlib.Path({str(marker_dir)!r}, {name!r}).write_text('executed')\n"
        f"import os\nos.system('touch {marker_dir}/{name}-shell')\n"
    )


class Unpickle:
    """Pickles into ``os.system(command)``: unpickling runs the command."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (self.command,))


SHADOWED = [
    # mlaudit's own dependencies and standard-library modules it imports lazily
    "typer", "click", "rich", "pydantic", "libcst", "pathspec", "radon", "tomllib", "json", "re",
    "tokenize", "ast", "hashlib", "tempfile", "shutil", "multiprocessing", "concurrent", "difflib",
    "jsonschema", "yaml", "mlaudit_plugin",
]  # fmt: skip


def hostile_project(root: Path, marker_dir: Path) -> Path:
    files: dict[str, str | bytes] = {
        "pkg/__init__.py": planted(marker_dir, "pkg-init"),
        "pkg/train.py": planted(marker_dir, "pkg-train")
        + "import pickle\n\nwith open('model.pkl', 'rb') as fh:\n    MODEL = pickle.load(fh)\n",
        "pkg/features.py": "import pandas as pd\n\n\ndef build_features(df):\n    return pd.read_pickle('f.pkl')\n",
        "conftest.py": planted(marker_dir, "conftest"),
        "setup.py": planted(marker_dir, "setup"),
        "sitecustomize.py": planted(marker_dir, "sitecustomize"),
        "usercustomize.py": planted(marker_dir, "usercustomize"),
        "__main__.py": planted(marker_dir, "main"),
        "notebooks/explore.ipynb": notebook(
            planted(marker_dir, "notebook"), "!touch " + str(marker_dir / "bang")
        ),
        "model.pkl": pickle.dumps(Unpickle(f"touch {marker_dir}/unpickled")),
        "pkg/model.pkl": pickle.dumps(Unpickle(f"touch {marker_dir}/unpickled-pkg")),
        "weights.pt": pickle.dumps(Unpickle(f"touch {marker_dir}/unpickled-pt")),
    }
    for name in SHADOWED:
        files[f"{name}.py"] = planted(marker_dir, f"shadow-{name}")
    for i in range(45):  # enough files for the process pool
        files[f"pkg/gen/m{i:02}.py"] = planted(marker_dir, f"gen-{i}")
    return write_files(root, files)


def commands() -> list[list[str]]:
    """Every way mlaudit reads a project: both entry points, every format, pool and cache, graph."""
    module = [sys.executable, "-m", "mlaudit"]
    script = [str(Path(sys.executable).parent / "mlaudit")]
    out = [
        [*module, "check", ".", "--select", "ALL", "--output-format", fmt, "-j", "2"]
        for fmt in sorted(FORMATS)
    ]
    out.append([*module, "check", ".", "--select", "ALL", "-j", "1"])  # warm cache, in-process
    out.append([*module, "check", "pkg/train.py", "--force-exclude"])  # pre-commit style: explicit file
    out.append([*module, "graph", ".", "--format", "mermaid"])
    if Path(script[0]).exists():
        out.append([*script, "check", ".", "--select", "ALL", "--no-cache"])
    return out


def run_all(project: Path, env: dict[str, str] | None = None) -> None:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    for argv in commands():
        proc = subprocess.run(argv, cwd=project, env=full_env, capture_output=True, text=True, timeout=300)
        assert proc.returncode in (0, 1), (argv, proc.stdout[-2000:], proc.stderr[-2000:])
        assert "Traceback" not in proc.stdout + proc.stderr, (argv, proc.stderr)


def test_nothing_planted_ever_runs(tmp_path: Path) -> None:
    marker_dir = tmp_path / MARKERS
    marker_dir.mkdir()
    project = hostile_project(tmp_path / "project", marker_dir)
    run_all(project)
    assert sorted(p.name for p in marker_dir.iterdir()) == []


def test_the_planted_code_would_leave_markers(tmp_path: Path) -> None:
    """Control: the traps work (executing a planted module or unpickling does leave a marker)."""
    marker_dir = tmp_path / MARKERS
    marker_dir.mkdir()
    project = hostile_project(tmp_path / "project", marker_dir)
    code = "import sys; sys.path.append('.'); import pkg.train"  # appended: the shadows stay unused
    subprocess.run([sys.executable, "-I", "-c", code], cwd=project, capture_output=True, timeout=60)
    names = {p.name for p in marker_dir.iterdir()}
    assert {"pkg-init", "pkg-train", "pkg-init-shell", "unpickled"} <= names


SITECUSTOMIZE = """
import os
import socket

_LOG = os.environ["MLAUDIT_NET_LOG"]


def _refuse(what):
    def blocked(*args, **kwargs):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {what} {args[1:] if what == 'connect' else args!r}\\n")
        raise OSError("network access refused by the mlaudit test harness")
    return blocked


socket.socket.connect = _refuse("connect")
socket.socket.connect_ex = _refuse("connect_ex")
socket.socket.sendto = _refuse("sendto")
socket.create_connection = _refuse("create_connection")
socket.getaddrinfo = _refuse("getaddrinfo")
"""


def network_trap(tmp_path: Path) -> tuple[dict[str, str], Path]:
    trap = tmp_path / "trap"
    trap.mkdir()
    (trap / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network.log"
    log.write_text("")
    pythonpath = os.pathsep.join(p for p in [str(trap), os.environ.get("PYTHONPATH", "")] if p)
    return {"PYTHONPATH": pythonpath, "MLAUDIT_NET_LOG": str(log)}, log


def test_no_network_access(tmp_path: Path) -> None:
    env, log = network_trap(tmp_path)
    project = tmp_path / "project"
    write_files(
        project,
        {
            "pkg/__init__.py": "",
            "pkg/client.py": "import requests\n\n\ndef fetch():\n    return requests.get('https://example.com').json()\n",
            "pkg/train.py": "from transformers import AutoModel\n\nMODEL = AutoModel.from_pretrained('bert-base-uncased')\n",
            "notebooks/nb.ipynb": notebook(
                "!pip install torch\n", "import torch\nm = torch.hub.load('a/b', 'c')\n"
            ),
            **{f"pkg/gen/m{i:02}.py": f"X{i} = {i}\n" for i in range(45)},
        },
    )
    run_all(project, env)
    assert log.read_text() == ""


def test_the_network_trap_springs(tmp_path: Path) -> None:
    """Control: under the trap, a connection attempt from a child process is logged and refused."""
    env, log = network_trap(tmp_path)
    code = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError as e:\n    print(e)\n"
    proc = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )
    assert "refused by the mlaudit test harness" in proc.stdout
    assert "create_connection" in log.read_text()


@pytest.mark.parametrize("name", ["json", "typer", "re"])
def test_python_dash_m_does_not_import_the_projects_modules(tmp_path: Path, name: str) -> None:
    """Regression: ``python -m mlaudit`` run in a project with its own ``re.py`` once executed it
    (the current directory is first on ``sys.path``) and crashed with that module's error."""
    marker_dir = tmp_path / MARKERS
    marker_dir.mkdir()
    write_files(tmp_path / "project", {f"{name}.py": planted(marker_dir, name), "app.py": "x = 1\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "mlaudit", "check", ".", "--no-cache"],
        cwd=tmp_path / "project",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    assert list(marker_dir.iterdir()) == []
