"""``mlaudit check --fix``: each fix, and the guarantees (round trip, compiles, idempotent, overlapping
fixes, untouchable files, notebooks, read-only files, ``--diff``)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mlaudit import api, autofix, catalogue
from mlaudit.fixes import registered
from mlaudit.model import Report
from tests.conftest import notebook, run_cli, write_files


def fix(
    root: Path, *select: str, unsafe: bool = False, diff: bool = False, **overrides: object
) -> autofix.FixOutcome:
    opts: dict[str, object] = {k.replace("_", "-"): v for k, v in overrides.items()}
    if select:
        opts["select"] = select
    options = api.CheckOptions(isolated=True, overrides=opts, jobs=1, no_cache=True)
    loaded = api.load_config([root], options)
    return autofix.run(
        lambda: api.check([root], options),
        loaded=loaded,
        rules=api.registry().rules,
        options=autofix.FixOptions(unsafe=unsafe, diff=diff, max_file_size=loaded.settings.max_file_size),
    )


def codes(report: Report) -> list[str]:
    return [f.code for f in report.findings]


def compiles(path: Path) -> None:
    compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


# --- MLA002 unused-suppression --------------------------------------------------------------------------

SUPPRESSIONS = """\
import os


def f():
    # mlaudit: ignore[global-statement] own line, suppresses nothing
    x = os.getcwd()  # type: ignore  # mlaudit: ignore[global-statement]
    return x


def g():
    global STATE  # mlaudit: ignore[global-statement, hardcoded-path] only the first is used
    STATE = 1
"""


def test_unused_suppressions_are_removed_and_used_codes_kept(tmp_path: Path) -> None:
    write_files(tmp_path, {"m.py": SUPPRESSIONS})
    outcome = fix(tmp_path, "MLA002", "MLA101", "MLA303")
    assert outcome.fixed_by_code() == {"MLA002": 3}
    text = (tmp_path / "m.py").read_text()
    assert text == (
        "import os\n\n\ndef f():\n"
        "    x = os.getcwd()  # type: ignore\n"
        "    return x\n\n\ndef g():\n"
        "    global STATE  # mlaudit: ignore[global-statement] only the first is used\n"
        "    STATE = 1\n"
    )
    assert codes(outcome.report) == []


def test_adjacent_edits_wait_for_the_next_pass_at_their_mapped_position(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"m.py": "# mlaudit: ignore[global-statement]\n# mlaudit: ignore[hardcoded-path]\nx = 1\ny = 2\n"},
    )
    outcome = fix(tmp_path, "MLA002", "MLA101", "MLA303")
    assert outcome.fixed_by_code() == {"MLA002": 2}
    assert (tmp_path / "m.py").read_text() == "x = 1\ny = 2\n"


# --- MLA003 invalid-suppression ---------------------------------------------------------------------------


def test_misspelt_rule_name_is_corrected_when_one_name_is_close(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "m.py": 'P = open("/data/x.csv")  # mlaudit: ignore[hardcoded-paths] legacy\n'
            'Q = open("/data/y.csv")  # mlaudit: ignore[nothing-like-a-rule]\n'
            'R = open("/data/z.csv")  # mlaudit ignore[hardcoded-paths]\n'
        },
    )
    outcome = fix(tmp_path, "MLA003", "MLA303")
    assert outcome.fixed_by_code() == {"MLA003": 1}
    lines = (tmp_path / "m.py").read_text().splitlines()
    assert lines[0] == 'P = open("/data/x.csv")  # mlaudit: ignore[hardcoded-path] legacy'
    assert lines[1:] == [
        'Q = open("/data/y.csv")  # mlaudit: ignore[nothing-like-a-rule]',  # no close name
        'R = open("/data/z.csv")  # mlaudit ignore[hardcoded-paths]',  # malformed: not only spelling
    ]
    # The paths are a pure script's own top-level code (rules.md v2): MLA303 is quiet on them now.
    assert sorted(codes(outcome.report)) == ["MLA003", "MLA003"]


# --- MLA101 global-statement ------------------------------------------------------------------------------

GLOBALS = """\
COUNT = 0
CACHE = {}


def read_only():
    # the global below is not needed
    global CACHE
    return CACHE.get("k")


def bump():
    global COUNT
    COUNT += 1


def only():
    global CACHE


def inline():
    global CACHE; return CACHE  # trailing comment
"""


def test_global_never_assigned_is_removed(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/state.py": GLOBALS})
    outcome = fix(tmp_path, "MLA101")
    assert outcome.fixed_by_code() == {"MLA101": 3}
    text = (tmp_path / "src/state.py").read_text()
    assert "    # the global below is not needed\n    return CACHE.get" in text
    assert "def bump():\n    global COUNT\n    COUNT += 1\n" in text
    assert "def only():\n    pass\n" in text
    assert "def inline():\n    return CACHE  # trailing comment\n" in text
    assert codes(outcome.report) == ["MLA101"]  # bump: the real smell, no mechanical fix
    compiles(tmp_path / "src/state.py")


# --- MLA203 transform-mutates-input -----------------------------------------------------------------------

MUTATES = '''\
import pandas as pd


def clean_frame(df: pd.DataFrame, cols):
    """Fill the gaps."""
    n = len(df)

    # fill each column
    for c in cols:
        df[c] = df[c].fillna(0)
    return df, n


def clean_nested(d: dict):
    d["a"]["b"] = 1
    return d
'''


def test_copy_is_inserted_before_the_statement_holding_the_first_mutation(tmp_path: Path) -> None:
    write_files(tmp_path, {"features/clean.py": MUTATES})
    safe_only = fix(tmp_path, "MLA203")
    assert safe_only.fixed == 0 and safe_only.unsafe_available == 1
    assert (tmp_path / "features/clean.py").read_text() == MUTATES
    outcome = fix(tmp_path, "MLA203", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA203": 1}
    text = (tmp_path / "features/clean.py").read_text()
    assert "    n = len(df)\n\n    df = df.copy()\n    # fill each column\n    for c in cols:\n" in text
    assert 'd["a"]["b"] = 1' in text and "d = d.copy()" not in text  # a shallow copy would share d["a"]
    assert [f.message.split("`")[1] for f in outcome.report.findings] == ["clean_nested"]


def test_tensor_gets_clone_and_ambiguous_types_get_nothing(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "features/t.py": "import torch\n\n\ndef transform_batch(x: torch.Tensor):\n    x[0] = 0\n    return x\n",
            "features/mixed.py": "import numpy as np\nimport torch\n\n\ndef transform_rows(x):\n    x[0] = 0\n    return x\n",
        },
    )
    fix(tmp_path, "MLA203", unsafe=True)
    assert "    x = x.clone()\n    x[0] = 0\n" in (tmp_path / "features/t.py").read_text()
    assert "x = x." not in (tmp_path / "features/mixed.py").read_text()


# --- MLA202 nondeterministic-transform --------------------------------------------------------------------

CLOCK = """\
from datetime import datetime

import numpy as np


def build_features(df):
    today = datetime.now()
    noise = np.random.normal(0, 0.01, len(df))
    return df.assign(age=today - df.signup, noise=noise)


def run(df):
    return build_features(df)
"""


def test_clock_and_generator_become_parameters_passed_by_the_caller(tmp_path: Path) -> None:
    write_files(tmp_path, {"pipeline/build.py": CLOCK})
    outcome = fix(tmp_path, "MLA202", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA202": 2}  # the two overlap (the call line): two passes
    text = (tmp_path / "pipeline/build.py").read_text()
    assert "def build_features(df, *, today, rng):\n    noise = rng.normal(0, 0.01, len(df))\n" in text
    assert "return build_features(df, today=datetime.now(), rng=np.random.default_rng())" in text
    assert codes(outcome.report) == []
    compiles(tmp_path / "pipeline/build.py")


def test_a_caller_that_is_a_transform_is_fixed_in_turn_up_to_the_entry_point(tmp_path: Path) -> None:
    # In a features module every function is a transform: `run` now reads the clock and is reported;
    # it has no caller in the project (an entry point), so it keeps the reads.
    write_files(tmp_path, {"features/build.py": CLOCK})
    outcome = fix(tmp_path, "MLA202", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA202": 2}
    # one finding per function: the second read of `run` is in `related`
    assert [f.location.row for f in outcome.report.findings] == [12]
    assert [r.location.row for r in outcome.report.findings[0].related] == [12]


def test_no_parameter_when_the_transform_is_used_elsewhere_or_never_called(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "features/build.py": CLOCK,
            "train.py": "from features.build import build_features\n",
            "features/solo.py": "import time\n\n\ndef transform(df):\n    return df.assign(t=time.time())\n",
        },
    )
    outcome = fix(tmp_path, "MLA202", unsafe=True)
    assert outcome.fixed == 0
    assert (tmp_path / "features/build.py").read_text() == CLOCK


# --- MLA103 import-time-side-effect -----------------------------------------------------------------------

SCRIPT = '''\
"""Train the model."""
import joblib
import pandas as pd

SEED = 42


def fit(df):
    return df.mean()


# load the data
df = pd.read_csv("data.csv")  # raw
model = fit(df)
joblib.dump(model, "model.pkl")
'''


def test_script_work_moves_into_main_under_the_guard(tmp_path: Path) -> None:
    # A script with a main guard that still does its work on import (rules.md v2: a pure script, with no
    # guard at all, is quiet; this one is imported for its SEED and trains as a side effect).
    guarded = SCRIPT + '\nif __name__ == "__main__":\n    print(SEED)\n'
    write_files(tmp_path, {"train.py": guarded})
    outcome = fix(tmp_path, "MLA103", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA103": 1}
    text = (tmp_path / "train.py").read_text()
    assert text.endswith(
        "def main() -> None:\n"
        "    # load the data\n"
        '    df = pd.read_csv("data.csv")  # raw\n'
        "    model = fit(df)\n"
        '    joblib.dump(model, "model.pkl")\n\n\n'
        'if __name__ == "__main__":\n    main()\n    print(SEED)\n'
    )
    assert codes(outcome.report) == []


def test_work_read_by_functions_or_an_existing_guard_does_not_move(tmp_path: Path) -> None:
    serving = 'import joblib\n\nMODEL = joblib.load("m.pkl")\n\n\ndef predict(x):\n    return MODEL(x)\n'
    guarded = 'import pandas as pd\n\ndf = pd.read_csv("d.csv")\n\nif __name__ == "__main__":\n    print(df.shape)\n'
    write_files(tmp_path, {"serve.py": serving, "job.py": guarded})
    outcome = fix(tmp_path, "MLA103", unsafe=True)
    assert outcome.fixed == 0
    assert (tmp_path / "serve.py").read_text() == serving
    assert (tmp_path / "job.py").read_text() == guarded


def test_everything_after_the_first_load_moves_so_the_order_is_kept(tmp_path: Path) -> None:
    script = (
        'import os\nimport pandas as pd\n\nos.makedirs("out", exist_ok=True)\n\nprint("loading")\n'
        'THRESHOLD = 0.5\ndf = pd.read_csv("d.csv")\n\n\ndef keep(x):\n    return x > THRESHOLD\n\n\n'
        "df = df[keep(df.score)]\n"
        '\nif __name__ == "__main__":\n    print("done")\n'
    )
    write_files(tmp_path, {"job.py": script})
    fix(tmp_path, "MLA103", unsafe=True)
    assert (tmp_path / "job.py").read_text() == (
        # Creating the output folder is no import-time I/O: it and what precedes the first load stay.
        'import os\nimport pandas as pd\n\nos.makedirs("out", exist_ok=True)\n\nprint("loading")\nTHRESHOLD = 0.5\n\n\n'
        "def keep(x):\n    return x > THRESHOLD\n\n\n"
        'def main() -> None:\n    df = pd.read_csv("d.csv")\n\n    df = df[keep(df.score)]\n\n\n'
        'if __name__ == "__main__":\n    main()\n    print("done")\n'
    )


def test_existing_guard_gets_the_main_call_first(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "job.py": 'import sys\nimport pandas as pd\n\ndf = pd.read_csv("d.csv")\nprint(len(df))\n\nif __name__ == "__main__":\n    sys.exit(0)\n'
        },
    )
    fix(tmp_path, "MLA103", unsafe=True)
    text = (tmp_path / "job.py").read_text()
    assert text.endswith(
        'def main() -> None:\n    df = pd.read_csv("d.csv")\n    print(len(df))\n\n\n'
        'if __name__ == "__main__":\n    main()\n    sys.exit(0)\n'
    )


# --- guarantees -------------------------------------------------------------------------------------------


def test_second_fix_changes_nothing(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "features/build.py": CLOCK,
            "features/clean.py": MUTATES,
            "src/state.py": GLOBALS,
            "train.py": SCRIPT,
        },
    )
    first = fix(tmp_path, "MLA1", "MLA2", unsafe=True)  # the purity rules are opt-in
    assert first.fixed >= 6
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    second = fix(tmp_path, "MLA1", "MLA2", unsafe=True)
    assert second.fixed == 0 and second.changed == []
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == snapshot
    for p in snapshot:
        compiles(p)


def test_comments_and_formatting_outside_the_edit_are_kept(tmp_path: Path) -> None:
    source = (
        '#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n"""Doc \xe9."""\nX = {  \'a\' :1,\n}  # odd spacing\n\n\n'
        "def f():\n    global X   # remove me\n    return X  # keep\n\n\n\n# trailing comment\n"
    ).replace("\n", "\r\n")
    write_files(tmp_path, {"src/m.py": source.encode("latin-1")})
    fix(tmp_path, "MLA101")
    after = (tmp_path / "src/m.py").read_bytes()
    assert after == source.replace("    global X   # remove me\r\n", "").encode("latin-1")


def test_parse_error_and_oversized_files_are_never_touched(tmp_path: Path) -> None:
    big = "def f():\n    global X\n    return X\n" + "# padding\n" * 2000
    write_files(
        tmp_path, {"broken.py": "def f(:\n    global X  # mlaudit: ignore[hardcoded-path]\n", "big.py": big}
    )
    outcome = fix(tmp_path, max_file_size=0.01)
    assert outcome.fixed == 0
    assert (tmp_path / "big.py").read_text() == big
    assert "def f(:" in (tmp_path / "broken.py").read_text()
    assert {e.filename for e in outcome.report.errors} == {"big.py", "broken.py"}


def test_notebook_cells_are_fixed_in_place_with_outputs_and_metadata_kept(tmp_path: Path) -> None:
    nb = json.loads(
        notebook(
            ("markdown", "# Title"),
            "%matplotlib inline\nimport os  # mlaudit: ignore[hardcoded-path]\nX = 1",
            "def f():\n    global X\n    return X\n",
        )
    )
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}]
    nb["cells"][1]["execution_count"] = 3
    nb["metadata"] = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    original = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_files(tmp_path, {"notebooks/explore.ipynb": original})
    preview = fix(tmp_path, "MLA002", "MLA101", "MLA303", diff=True)
    assert "".join(preview.diffs) == (
        "--- a/notebooks/explore.ipynb:cell 2\n+++ b/notebooks/explore.ipynb:cell 2\n"
        "@@ -1,3 +1,3 @@\n %matplotlib inline\n-import os  # mlaudit: ignore[hardcoded-path]\n+import os\n X = 1\n"
    )
    assert (tmp_path / "notebooks/explore.ipynb").read_text() == original
    outcome = fix(tmp_path, "MLA002", "MLA101", "MLA303")
    assert outcome.fixed_by_code() == {"MLA002": 1}  # MLA101 does not apply to notebooks (experiments)
    after = (tmp_path / "notebooks/explore.ipynb").read_text()
    expected = json.loads(original)
    expected["cells"][1]["source"] = ["%matplotlib inline\n", "import os\n", "X = 1"]
    assert json.loads(after) == expected
    assert after == json.dumps(expected, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_read_only_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/m.py": "X = 1\n\n\ndef f():\n    global X\n    return X\n"})
    target = tmp_path / "src/m.py"
    target.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        outcome = fix(tmp_path, "MLA101")
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert outcome.fixed == 0
    assert outcome.problems == ["cannot write src/m.py: the file is read-only (not fixed)"]
    assert codes(outcome.report) == ["MLA101"]


def test_diff_writes_nothing(tmp_path: Path) -> None:
    guarded = SCRIPT + '\nif __name__ == "__main__":\n    print(SEED)\n'  # v2: a pure script is quiet
    write_files(tmp_path, {"train.py": guarded, "src/state.py": GLOBALS})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    outcome = fix(tmp_path, "MLA1", unsafe=True, diff=True)  # MLA101 is opt-in
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == before
    text = "".join(outcome.diffs)
    assert "--- a/src/state.py\n+++ b/src/state.py\n" in text and "-    global CACHE\n" in text
    assert "+def main() -> None:\n" in text


# --- CLI and metadata -------------------------------------------------------------------------------------


def test_cli_fix_diff_and_summary(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/state.py": GLOBALS, "features/clean.py": MUTATES})
    diff = run_cli("check", ".", "--diff", "--select", "MLA101,MLA203", cwd=tmp_path)
    assert diff.returncode == 1 and diff.stdout.startswith("--- a/src/state.py")
    assert "Would fix 3 findings (MLA101 x3); 1 more with --unsafe-fixes." in diff.stderr
    assert (tmp_path / "src/state.py").read_text() == GLOBALS

    result = run_cli(
        "check",
        ".",
        "--fix",
        "--show-fixes",
        "--select",
        "MLA101,MLA203",
        "--output-format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 1  # MLA101 in bump() and the MLA203s remain
    assert "Fixed 3 findings (MLA101 x3); 1 more with --unsafe-fixes." in result.stderr
    assert "  src/state.py:7: MLA101 Remove `global CACHE`" in result.stderr
    report = json.loads(result.stdout)
    remaining = [(f["code"], f["fix"]) for f in report["findings"]]
    assert [code for code, _ in remaining] == ["MLA203", "MLA203", "MLA101"]
    available = remaining[0][1]
    assert available["applicability"] == "unsafe"
    assert available["edits"] == [
        {
            "content": "    df = df.copy()\n",
            "location": {"row": 8, "column": 1},
            "end_location": {"row": 8, "column": 1},
            "filename": None,
            "cell": None,
        }
    ]
    assert remaining[1][1] is None and remaining[2][1] is None  # no mechanical fix for these

    again = run_cli("check", ".", "--diff", "--select", "MLA101", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""


def test_fix_refuses_to_write_a_baseline_in_the_same_run(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/state.py": GLOBALS})
    result = run_cli("check", ".", "--fix", "--write-baseline", cwd=tmp_path)
    assert result.returncode == 2 and "cannot be combined" in result.stderr
    assert (tmp_path / "src/state.py").read_text() == GLOBALS
    assert not (tmp_path / "mlaudit-baseline.json").exists()


def test_fix_from_config(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.mlaudit]\nfix = true\nunsafe-fixes = true\nselect = ["MLA203"]\n',
            "features/clean.py": MUTATES.partition("\n\ndef clean_nested")[0],
        },
    )
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Fixed 1 finding (MLA203 x1)." in result.stderr
    assert "df = df.copy()" in (tmp_path / "features/clean.py").read_text()
    assert run_cli("check", ".", "--no-fix", cwd=tmp_path).returncode == 0


def test_fix_registry_matches_rules_and_metadata() -> None:
    fixes = registered()
    rules = {r.code: r for r in api.registry(plugins=False).rules}
    assert set(fixes) == {"MLA002", "MLA003", "MLA101", "MLA103", "MLA202", "MLA203", "MLA701", "MLA704"}
    assert set(fixes) <= set(rules)
    for code, spec in fixes.items():
        info = catalogue.rule_info(rules[code])
        assert info["fix_availability"] == spec.availability
        assert info["fix_applicability"] == spec.applicability
        assert f"Fix: {spec.availability} ({spec.applicability})." in catalogue.render_doc(rules[code])
        readme = catalogue.readme(rules[code]) or ""
        assert "\n## Fix\n" in readme, f"{code}: document the fix in its README"
    assert {code for code, s in fixes.items() if s.applicability == "safe"} == {"MLA002", "MLA003", "MLA101"}
    assert catalogue.rule_info(rules["MLA102"])["fix_availability"] == "None"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unwritable_file_reports_error_from_the_os(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"src/m.py": "X = 1\n\n\ndef f():\n    global X\n    return X\n"})

    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    outcome = fix(tmp_path, "MLA101")
    assert outcome.problems == ["cannot write src/m.py: Permission denied (not fixed)"]


def test_a_databricks_notebook_source_is_checked_masked_but_never_rewritten_masked(tmp_path: Path) -> None:
    """The analysis masks its ``!pip install`` (so it parses and is checked); a fix edits the file's own
    text, which is not Python, so it leaves the file alone rather than write a masked line back."""
    source = (
        "# Databricks notebook source\n!pip install mlflow\n\n# COMMAND ----------\n\n"
        "import os  # mlaudit: ignore[hardcoded-path]\n"
    )
    write_files(tmp_path, {"nb.py": source})
    outcome = fix(tmp_path, "MLA001", "MLA002", "MLA303")
    assert [f.code for f in outcome.report.findings] == ["MLA002"]
    assert outcome.fixed == 0
    assert (tmp_path / "nb.py").read_text() == source
