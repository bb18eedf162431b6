"""MLA302 precision after the fifth blind review (heldout4/5): torchrun options forwarded by a CLI,
accelerate's FSDP_* variables, the host's identity, platform and SDK variables, and diagnostic switches are
not scattered configuration. Each quiet case has its catalogue case (rules/config/MLA302-*/cases); these
tests pin the reported side next to it, so no quiet side is a blanket exemption."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from mlaudit import api
from mlaudit.model import Finding
from mlaudit.rules.config.scattered_env_access import (
    DEFAULT_IGNORED_VARIABLES,
    is_config_function,
    is_diagnostic_variable,
)


def audit(root: Path, files: dict[str, str], **settings: Any) -> list[Finding]:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    overrides: dict[str, Any] = {"select": ("MLA302",), **settings}
    report = api.check([root], api.CheckOptions(isolated=True, overrides=overrides, jobs=1, no_cache=True))
    assert not report.errors, report.errors
    return [f for f in report.findings if f.code == "MLA302"]


def rows(findings: list[Finding]) -> list[tuple[str, int]]:
    return sorted((f.filename, f.location.row) for f in findings)


PKG = {"kit/__init__.py": "", "kit/cli.py": "from kit import launcher\n\n\ndef main():\n    launcher.launch()\n"}


def test_torchrun_options_forwarded_by_a_cli_are_launcher_variables(tmp_path: Path) -> None:
    launcher = """
    import os
    import subprocess


    def launch():
        nnodes = os.getenv("NNODES", "1")
        nproc = os.getenv("NPROC_PER_NODE", "8")
        rdzv = os.getenv("RDZV_ID")
        restarts = os.getenv("MAX_RESTARTS", "0")
        elastic = f'{os.getenv("MIN_NNODES")}:{os.getenv("MAX_NNODES")}'
        addr, port = os.getenv("MASTER_ADDR", "127.0.0.1"), os.getenv("MASTER_PORT", "29500")
        subprocess.run(["torchrun", nnodes, nproc, str(rdzv), restarts, elastic, addr, port], check=True)
    """
    assert audit(tmp_path / "quiet", {**PKG, "kit/launcher.py": launcher}) == []
    # The launcher's own settings next to them are still hidden configuration.
    mixed = launcher.replace('restarts = os.getenv("MAX_RESTARTS", "0")', 'restarts = os.getenv("TRAIN_RECIPE")')
    found = audit(tmp_path / "mixed", {**PKG, "kit/launcher.py": mixed})
    assert rows(found) == [("kit/launcher.py", 9)]
    assert "`TRAIN_RECIPE`" in found[0].message and "NNODES" not in found[0].message


def test_accelerate_fsdp_variables_are_set_by_the_launcher(tmp_path: Path) -> None:
    src = """
    import os


    def prepare(model_args):
        if os.environ.get("ACCELERATE_USE_FSDP", "false") == "true" and int(os.environ.get("FSDP_VERSION", "1")) == 2:
            model_args.use_reentrant_gc = False
        return os.getenv("MEGATRON_LM_TP_DEGREE"), os.getenv("ROCR_VISIBLE_DEVICES")
    """
    assert audit(tmp_path, {"kit/__init__.py": "", "kit/checkpointing.py": src}) == []


def test_host_identity_and_os_variables_are_quiet(tmp_path: Path) -> None:
    src = """
    import os
    import platform


    def create_ui():
        host = os.getenv("HOSTNAME", os.getenv("COMPUTERNAME", platform.node()))
        proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
        return host, proxy, os.getenv("USERDOMAIN"), os.environ.get("NUMBER_OF_PROCESSORS")
    """
    assert audit(tmp_path, {"kit/__init__.py": "", "kit/interface.py": src}) == []


def test_platform_and_sdk_variables_are_quiet(tmp_path: Path) -> None:
    src = """
    import os


    def where():
        return (
            os.environ.get("AIP_MODEL_DIR"),
            os.getenv("LIGHTNING_ARTIFACTS_DIR"),
            int(os.environ["DATA_OPTIMIZER_GLOBAL_RANK"]),
            os.environ.get("TF_CONFIG"),
            os.getenv("DATABRICKS_RUNTIME_VERSION"),
            os.environ["OPENAI_API_KEY"],
            os.getenv("ANTHROPIC_API_KEY"),
            os.getenv("PYTORCH_CUDA_ALLOC_CONF"),
            os.getenv("TORCH_LOGS"),
        )
    """
    assert audit(tmp_path, {"kit/__init__.py": "", "kit/platform.py": src}) == []


def test_tensorflow_variables_are_its_own_not_every_tf_prefix(tmp_path: Path) -> None:
    src = """
    import os


    def serving():
        return os.getenv("TF_CPP_MIN_LOG_LEVEL"), os.getenv("TF_SERVING_HOST"), os.getenv("TF_SERVABLE_NAME")
    """
    found = audit(tmp_path, {"kit/__init__.py": "", "kit/client.py": src})
    assert rows(found) == [("kit/client.py", 5)]
    assert "TF_CPP" not in found[0].message and "`TF_SERVING_HOST`" in found[0].message


@pytest.mark.parametrize(
    ("variable", "diagnostic"),
    [
        ("LLAMAFACTORY_VERBOSITY", True),
        ("TRANSFORMERS_VERBOSITY", True),
        ("MUON_DIAG", True),
        ("MYLIB_DEBUG", True),
        ("DEBUG", True),
        ("LOG_LEVEL", True),
        ("LOGGING_LEVEL", True),
        ("LOGLEVEL", True),
        ("APP_VERBOSE", True),
        ("LEVEL", False),
        ("DEBUGGER_HOST", False),
        ("LOG_DIR", False),
        ("ZOOM_LEVEL", False),
        ("MAX_CONCURRENT", False),
        ("DIAGONAL_SCALE", False),
    ],
)
def test_diagnostic_variables_by_name(variable: str, diagnostic: bool) -> None:
    assert is_diagnostic_variable(variable) is diagnostic


def test_a_diagnostic_switch_read_where_it_is_used_is_quiet_but_shared_ones_are_reported(tmp_path: Path) -> None:
    logging_module = """
    import logging
    import os


    def _get_default_logging_level():
        level = os.getenv("KIT_VERBOSITY", None)
        return logging._nameToLevel[level.upper()] if level else logging.INFO


    def diag(p):
        if os.environ.get("KIT_MUON_DIAG") != "1":
            return
        print(p)
    """
    files = {"kit/__init__.py": "", "kit/logging.py": logging_module}
    assert audit(tmp_path / "one", files) == []
    # The same verbosity parsed again in another module of the program: two parses can disagree.
    parser = """
    import os

    from kit import logging


    def get_train_args():
        level = os.getenv("KIT_VERBOSITY", "INFO")
        return logging, level
    """
    found = audit(tmp_path / "two", {**files, "kit/parser.py": parser})
    assert rows(found) == [("kit/logging.py", 6)]
    assert "`KIT_VERBOSITY` read in 2 modules" in found[0].message


def test_the_new_conventions_can_be_replaced(tmp_path: Path) -> None:
    src = "import os\n\n\ndef f():\n    return os.environ['NNODES'], os.getenv('COMPUTERNAME')\n"
    files = {"kit/__init__.py": "", "kit/run.py": src}
    assert audit(tmp_path, files) == []
    rules = {"rules": {"scattered-env-access": {"ignore-variables": ["RANK"]}}}
    assert rows(audit(tmp_path, files, **rules)) == [("kit/run.py", 5)]
    assert "NNODES" in DEFAULT_IGNORED_VARIABLES and "TF_*" not in DEFAULT_IGNORED_VARIABLES


SCRIPT = """
import os


def sanitize(name):
    return name.replace("/", "__")


def main():
    client = os.environ["RESULTS_API_KEY"]
    print(sanitize("a/b"), client)


if __name__ == "__main__":
    main()
"""


def test_a_script_imported_only_by_its_tests_is_still_an_entry_module(tmp_path: Path) -> None:
    files = {
        "scripts/upload.py": SCRIPT,
        "tests/test_upload.py": "from scripts.upload import sanitize\n\n\ndef test_s():\n    assert sanitize('a')\n",
    }
    assert audit(tmp_path / "tested", files) == []
    # Imported by production code, it is a module whose function hides a setting.
    files["pkg/__init__.py"] = ""
    files["pkg/report.py"] = "from scripts.upload import main\n\n\ndef run():\n    main()\n"
    assert rows(audit(tmp_path / "imported", files)) == [("scripts/upload.py", 9)]


@pytest.mark.parametrize(
    ("qualname", "config"),
    [
        ("get_watsonx_credentials", True),
        ("load_secrets", True),
        ("Client.read_creds", True),
        ("fetch_scores", False),
        ("TextSynthLM.__init__", False),
    ],
)
def test_credentials_functions_are_configuration_functions(qualname: str, config: bool) -> None:
    assert is_config_function(qualname) is config
