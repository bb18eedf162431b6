"""Causes found by the blind review of heldout7 (fix7a): Azure ML scoring scripts (MLA101, MLA302), platform
and interpreter variables and independent programs pooled through a stdlib-named module (MLA302), Dash
dashboards and a component's command script (MLA103). Each quiet side has its catalogue case; these tests
also pin the reported side, so the quiet side cannot be a blanket exemption."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import audit, hits

SCORING = """
import json
import os

import joblib


def init():
    global model
    model = joblib.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl"))
    threshold = os.getenv("SCORE_THRESHOLD")


def run(raw_data):
    data = json.loads(raw_data)["data"]
    return model.predict(data).tolist()
"""


# --- MLA101: `global` in a scoring script's init() ---------------------------------------------------------


def test_global_in_the_init_of_a_scoring_script_is_quiet(tmp_path: Path) -> None:
    assert hits(audit(tmp_path, {"score.py": SCORING}, "MLA101"), "MLA101") == []


def test_global_elsewhere_in_a_scoring_script_or_without_the_shape_is_reported(tmp_path: Path) -> None:
    counter = SCORING + "\n\ncalls = 0\n\n\ndef count():\n    global calls\n    calls += 1\n"
    found = audit(tmp_path / "count", {"score.py": counter}, "MLA101")
    assert [row for _, row, _ in hits(found, "MLA101")] == [22]
    with_params = SCORING.replace("def init():", "def init(path):")  # not the server's init()
    found = audit(tmp_path / "params", {"score.py": with_params}, "MLA101")
    assert [row for _, row, _ in hits(found, "MLA101")] == [8]
    no_run = SCORING.replace("def run(raw_data):", "def predict(raw_data):")
    found = audit(tmp_path / "norun", {"score.py": no_run}, "MLA101")
    assert [row for _, row, _ in hits(found, "MLA101")] == [8]


# --- MLA302: the scoring script's init() reads its settings once ----------------------------------------------


def test_env_reads_in_the_init_of_a_scoring_script_are_quiet(tmp_path: Path) -> None:
    assert hits(audit(tmp_path, {"score.py": SCORING}, "MLA302"), "MLA302") == []


def test_env_reads_on_every_request_of_a_scoring_script_are_reported(tmp_path: Path) -> None:
    per_request = SCORING.replace(
        '    data = json.loads(raw_data)["data"]',
        '    data = json.loads(raw_data)[os.getenv("DATA_KEY")]\n    limit = int(os.getenv("ROW_LIMIT"))',
    )
    found = audit(tmp_path, {"score.py": per_request}, "MLA302")
    assert [row for _, row, _ in hits(found, "MLA302")] == [14]


PLATFORM = """
import os
import ssl


def labels_path():
    return os.path.join(os.environ["AML_APP_ROOT"], "labels.json")


def allow_self_signed_https(allowed):
    if allowed and not os.environ.get("PYTHONHTTPSVERIFY", ""):
        ssl._create_default_https_context = ssl._create_unverified_context


def bucket():
    return os.environ["DATA_BUCKET"]
"""


def test_inference_server_and_interpreter_variables_are_not_configuration(tmp_path: Path) -> None:
    found = audit(tmp_path, {"helpers.py": PLATFORM}, "MLA302")
    assert [row for _, row, _ in hits(found, "MLA302")] == [15]  # only the project's own DATA_BUCKET
    assert "AML_APP_ROOT" not in found[0].message and "PYTHONHTTPSVERIFY" not in found[0].message


# --- MLA302: independent programs are not linked through a module named like the standard library -------------

SAMPLE = """
import logging
import os


def upload(path):
    logging.info("uploading %s", path)
    account = os.getenv("STORAGE_ACCOUNT_NAME")
    return account, path
"""


def test_programs_are_not_linked_by_a_stdlib_name(tmp_path: Path) -> None:
    files = {
        "online/score.py": SAMPLE,
        "batch/score_batch.py": SAMPLE,
        "rag/src/utils/__init__.py": "",
        "rag/src/utils/logging.py": "import logging\n\n\ndef get_logger(name):\n    return logging.getLogger(name)\n",
    }
    found = audit(tmp_path, files, "MLA302")
    assert all("2 modules" not in f.message for f in found), [f.message for f in found]


def test_modules_that_share_a_first_party_module_are_still_one_program(tmp_path: Path) -> None:
    shared = SAMPLE.replace("import logging\n", "import logging\n\nfrom common import helpers\n")
    files = {
        "app/online.py": shared,
        "app/batch.py": shared,
        "app/common/__init__.py": "",
        "app/common/helpers.py": "def tidy(x):\n    return x\n",
    }
    found = audit(tmp_path / "shared", files, "MLA302")
    assert [f.message for f in found if "2 modules" in f.message], [f.message for f in found]
    # a module named like the standard library beside its importer is what the import finds (`sys.path[0]`)
    local = SAMPLE.replace("import logging\n", "import logging\nimport json\n")
    files = {
        "svc/a.py": local,
        "svc/b.py": local,
        "svc/json.py": "def dumps(x):\n    return str(x)\n",
    }
    found = audit(tmp_path / "local", files, "MLA302")
    assert [f.message for f in found if "2 modules" in f.message], [f.message for f in found]


# --- MLA103: a Dash dashboard; a component's command script --------------------------------------------------

DASH = """
import dash
import pandas as pd
import requests
from dash import html
from dash.dependencies import Input, Output

cases = pd.read_csv("../data/valid.csv")
app = dash.Dash(__name__)
app.layout = html.Div([html.Div(id="out")])


@app.callback(Output("out", "children"), [Input("case", "value")])
def show(case):
    return str(cases[cases["Case"] == case])


if __name__ == "__main__":
    app.run_server(debug=True)
"""


def test_a_dash_app_loading_the_data_it_displays_is_quiet(tmp_path: Path) -> None:
    assert hits(audit(tmp_path, {"dash/main.py": DASH}, "MLA103"), "MLA103") == []
    layout_only = DASH.split("@app.callback")[0] + 'if __name__ == "__main__":\n    app.run_server(port=8060)\n'
    assert hits(audit(tmp_path / "layout", {"dash/main_2.py": layout_only}, "MLA103"), "MLA103") == []


def test_a_dash_app_calling_the_network_at_import_is_reported(tmp_path: Path) -> None:
    network = DASH.replace('app = dash.Dash', 'status = requests.get("https://example.com/status")\napp = dash.Dash')
    found = audit(tmp_path, {"dash/main.py": network}, "MLA103")
    assert [row for _, row, _ in hits(found, "MLA103")] == [8]


COMPONENT = """
import argparse
import os

import pandas as pd


def dump(input_df, target_path):
    os.makedirs(target_path, exist_ok=True)
    input_df.to_csv(os.path.join(target_path, "out.csv"))


parser = argparse.ArgumentParser()
parser.add_argument("--data_source")
parser.add_argument("--output")
args, _ = parser.parse_known_args()

try:
    input_df = pd.read_csv(args.data_source)
except OSError:
    raise

dump(input_df=input_df, target_path=args.output)
"""


def test_a_command_script_wiring_parsed_values_to_its_helper_is_a_pure_script(tmp_path: Path) -> None:
    assert hits(audit(tmp_path, {"partition_data.py": COMPONENT}, "MLA103"), "MLA103") == []


def test_a_missing_guard_around_main_args_is_still_reported(tmp_path: Path) -> None:
    source = """
    import argparse

    import pandas as pd


    def main(args):
        df = pd.read_csv(args.data)
        df.to_csv(args.out)


    parser = argparse.ArgumentParser()
    parser.add_argument("--data")
    args = parser.parse_args()
    main(args)
    """
    found = audit(tmp_path, {"train.py": source}, "MLA103")
    assert [row for _, row, _ in hits(found, "MLA103")] == [14]
    # the same component module imported by another module is a library: its module-level read is reported
    files = {"partition_data.py": COMPONENT, "pipeline.py": "import partition_data\n"}
    found = audit(tmp_path / "imported", files, "MLA103")
    assert [row for name, row, _ in hits(found, "MLA103") if name.endswith("partition_data.py")] == [18]
