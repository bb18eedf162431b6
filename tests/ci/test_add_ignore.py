"""--add-ignore[=REASON]: every finding gets a directive where the engine attaches it; the result parses
and re-checks clean (no finding, no unused or invalid suppression)."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from mlaudit.model import Finding, Location, Severity
from mlaudit.suppress_writer import add_ignores
from tests.ci.conftest import notebook, write

LAYOUTS = '''\
import os

x = legacy_call(1,
                2)
doc = f"""
value {legacy_call()}
"""


@legacy_call()
def f(a=legacy_call(),
      b=2):
    """Doc."""
    return legacy_call()


if legacy_call(
    1,
):
    pass
elif legacy_call():  # explain the branch
    pass
else:
    z = 1 + \\
        legacy_call()
with legacy_call() as handle:
    pass
xs = [
    legacy_call(i)
    for i in range(3)
]
w = legacy_call(); v = legacy_call()
y = legacy_call()  # noqa: E501
try:
    pass
except legacy_call():
    pass
m = legacy_call(
    1); n = 2
'''


def _clean(run: Any, root: Path) -> dict[str, Any]:
    result = run("check", ".", "--output-format", "json", cwd=root)
    report: dict[str, Any] = json.loads(result.out)
    assert result.code == 0, [
        (f["filename"], f["location"], f["code"], f["message"]) for f in report["findings"]
    ]
    return report


def test_every_layout_rechecks_clean(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"pkg/layouts.py": LAYOUTS})
    before = run("check", ".", "--output-format", "json", cwd=root)
    n = len(json.loads(before.out)["findings"])
    assert n == 15
    result = run("check", ".", "--add-ignore=legacy", cwd=root)
    assert result.code == 0, result.err
    assert f"for {n} findings in 1 file." in result.err
    text = (root / "pkg/layouts.py").read_text(encoding="utf-8")
    ast.parse(text)
    report = _clean(run, root)
    assert report["summary"]["suppressed"] == n

    lines = text.splitlines()
    tag = "# mlaudit: ignore[legacy-call] legacy"
    assert lines[3] == f"                2)  {tag}"  # end of the multi-line statement
    assert lines[6] == f'"""  {tag}'  # after the closing quotes, not inside the string
    assert lines[11] == f"      b=2):  {tag}"  # the header's `:` line covers the decorator too
    assert lines[18] == f"):  {tag}"
    assert lines[20] == f"elif legacy_call():  # explain the branch  {tag}"  # appended, never replacing
    assert lines[24] == f"        legacy_call()  {tag}"
    assert lines[30] == f"]  {tag}"
    assert lines[31] == f"w = legacy_call(); v = legacy_call()  {tag}"  # one directive per line
    assert lines[32] == f"y = legacy_call()  # noqa: E501  {tag}"
    # `n = 2` would take a trailing directive on the last line: the directive goes above instead.
    assert lines[37:40] == [tag, "m = legacy_call(", "    1); n = 2"]


def test_reasonless_and_idempotent(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"a.py": "x = legacy_call()\n"})
    assert run("check", ".", "--add-ignore", cwd=root).code == 0
    assert (root / "a.py").read_text(
        encoding="utf-8"
    ) == "x = legacy_call()  # mlaudit: ignore[legacy-call]\n"
    again = run("check", ".", "--add-ignore=more", cwd=root)
    assert again.code == 0 and "Added 0 suppression comments for 0 findings in 0 files." in again.err
    assert (root / "a.py").read_text(
        encoding="utf-8"
    ) == "x = legacy_call()  # mlaudit: ignore[legacy-call]\n"


def test_reason_is_one_line(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"a.py": "x = legacy_call()\n"})
    run("check", ".", "--add-ignore=see #12:\n  tracked", cwd=root)
    assert (
        (root / "a.py")
        .read_text(encoding="utf-8")
        .endswith("# mlaudit: ignore[legacy-call] see #12: tracked\n")
    )
    _clean(run, root)


def test_project_rule_and_several_rules_on_one_statement(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"a.py": "import shared_dep; legacy_call()\n", "b.py": "import shared_dep\n"})
    assert run("check", ".", "--add-ignore", cwd=root).code == 0
    text = (root / "a.py").read_text(encoding="utf-8")
    assert text == "import shared_dep; legacy_call()  # mlaudit: ignore[shared-import, legacy-call]\n"
    _clean(run, root)


def test_preserves_encoding_bom_and_line_endings(tmp_path: Path, run: Any) -> None:
    (tmp_path / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\r\ns = '\xe9'\r\nx = legacy_call()\r\n")
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbfx = legacy_call()\n")
    assert run("check", ".", "--add-ignore", cwd=tmp_path).code == 0
    latin = (tmp_path / "latin.py").read_bytes()
    assert (
        latin
        == b"# -*- coding: latin-1 -*-\r\ns = '\xe9'\r\nx = legacy_call()  # mlaudit: ignore[legacy-call]\r\n"
    )
    assert (tmp_path / "bom.py").read_bytes().startswith(b"\xef\xbb\xbfx = legacy_call()  # mlaudit")
    _clean(run, tmp_path)


def test_notebooks(tmp_path: Path, run: Any) -> None:
    nb = notebook(
        ("markdown", "# Title\n"), "import os\nx = legacy_call()\n%time y = legacy_call()\n", indent=2
    )
    # (IPython lines are masked before analysis: `%time ...` has no finding and stays untouched.)
    data = json.loads(nb)
    data["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "z = legacy_call()",
        }
    )
    write(tmp_path, {"nb.ipynb": json.dumps(data, indent=2) + "\n"})
    assert run("check", ".", "--add-ignore=exploration", cwd=tmp_path).code == 0
    text = (tmp_path / "nb.ipynb").read_text(encoding="utf-8")
    assert text.startswith('{\n  "cells"')  # the notebook's own indentation
    cells = json.loads(text)["cells"]
    assert cells[1]["source"] == [
        "import os\n",
        "x = legacy_call()  # mlaudit: ignore[legacy-call] exploration\n",
        "%time y = legacy_call()\n",
    ]
    assert (
        cells[2]["source"] == "z = legacy_call()  # mlaudit: ignore[legacy-call] exploration"
    )  # still a string
    _clean(run, tmp_path)


def test_unsuppressible_findings_are_reported(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path, {"bad.py": "def f(:\n", "a.py": "x = legacy_call()\n"})
    result = run("check", ".", "--add-ignore", cwd=root)
    assert result.code == 1
    assert "not suppressed: bad.py:1:7: MLA001 (a file that cannot be parsed" in result.err
    assert (root / "bad.py").read_text(encoding="utf-8") == "def f(:\n"
    assert "# mlaudit: ignore[legacy-call]" in (root / "a.py").read_text(encoding="utf-8")


def test_existing_directive_is_extended() -> None:
    def finding(row: int) -> Finding:
        return Finding(
            code="XCI001",
            name="legacy-call",
            category="purity",
            severity=Severity.WARNING,
            message="m",
            filename="a.py",
            location=Location(row=row, column=1),
            end_location=Location(row=row, column=2),
        )

    keys = {"legacy-call": "XCI001", "xci001": "XCI001", "shared-import": "XCI002", "xci002": "XCI002"}
    root = Path(__file__).parent  # placeholder; replaced below
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a.py").write_text(
            "u = legacy_call()  # mlaudit: ignore[XCI002] why\n"
            "# mlaudit: ignore[shared-import]\n"
            "if legacy_call():\n"
            "    pass\n",
            encoding="utf-8",
        )
        result = add_ignores(root, [finding(1)], "", lambda k: keys.get(k.lower()))
        assert result.suppressed == 1 and not result.skipped
        assert (root / "a.py").read_text(encoding="utf-8").splitlines()[0] == (
            "u = legacy_call()  # mlaudit: ignore[XCI002, legacy-call] why"
        )
        # An own-line directive above a statement is extended too (the `if` header is line 3).
        (root / "a.py").write_text(
            "# mlaudit: ignore[shared-import]\n@legacy_call\ndef f():\n    pass\n", encoding="utf-8"
        )
        add_ignores(root, [finding(2)], "", lambda k: keys.get(k.lower()))
        assert (root / "a.py").read_text(encoding="utf-8").splitlines()[:3] == [
            "# mlaudit: ignore[shared-import]",
            "@legacy_call",
            "def f():  # mlaudit: ignore[legacy-call]",
        ]


def test_stacked_directive_after_another_comment_is_honoured(tmp_path: Path, run: Any) -> None:
    """The engine reads `# noqa: E501  # mlaudit: ignore[...]` (a directive after another comment)."""
    root = write(
        tmp_path, {"a.py": "x = legacy_call()  # type: ignore[attr]  # mlaudit: ignore[legacy-call] ok\n"}
    )
    report = _clean(run, root)
    assert report["summary"]["suppressed"] == 1


def test_directives_respect_the_line_length(tmp_path: Path) -> None:
    import subprocess
    import sys

    from mlaudit.gate import line_length

    long_call = "    result = legacy_call(" + ", ".join(f"argument_{i}" for i in range(3)) + ")\n"
    src = "def f():\n" + long_call + "    return legacy_call()\n"
    write(tmp_path, {"m.py": src, "pyproject.toml": "[tool.ruff]\nline-length = 88\n"})
    assert line_length(tmp_path) == 88
    found = [_finding("m.py", 2), _finding("m.py", 3)]
    keys = {"legacy-call": "XCI001", "xci001": "XCI001"}
    result = add_ignores(tmp_path, found, "", lambda k: keys.get(k.strip().lower()), line_length=88)
    assert result.suppressed == 2 and not result.skipped
    lines = (tmp_path / "m.py").read_text().splitlines()
    assert all(len(line) <= 88 for line in lines), lines
    assert lines[1].strip() == "# mlaudit: ignore[legacy-call]"  # own line, above the long statement
    assert lines[3].endswith("return legacy_call()  # mlaudit: ignore[legacy-call]")  # short: trailing
    subprocess.run([sys.executable, "-c", f"import ast; ast.parse(open({str(tmp_path / 'm.py')!r}).read())"],
                   check=True)


def _finding(path: str, row: int) -> Finding:
    return Finding(
        code="XCI001", name="legacy-call", category="purity", severity=Severity.WARNING, message="m",
        filename=path, location=Location(row=row, column=5), end_location=Location(row=row, column=10),
        fingerprint="x",
    )


def test_directives_do_not_change_the_maintainability_index() -> None:
    """--add-ignore on a module just under the MLA603 threshold must not lift it above (the comments it
    writes are not documentation), or its own MLA603 directive would become an unused suppression."""
    from mlaudit.facts.complexity import _DIRECTIVE

    assert _DIRECTIVE.match("# mlaudit: ignore[unmaintainable-module]")
    assert not _DIRECTIVE.match("# the mlaudit team")
