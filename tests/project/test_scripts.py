"""Scripts, entry points and framework facts (rules.md, "Entry points", "Scripts", "Frameworks"): the
per-file extraction (``mlaudit.facts.scripts``) and the project-level classification
(``mlaudit.project.scripts``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mlaudit.config.schema import Settings
from mlaudit.engine.discovery import SourceFile
from mlaudit.engine.runner import RunPlan, analyze
from mlaudit.facts.imports import ImportsExtractor
from mlaudit.facts.model import FileFacts
from mlaudit.facts.scripts import ScriptsExtractor
from mlaudit.project import scripts
from mlaudit.project.index import ProjectIndex


def facts_of(tmp_path: Path, files: dict[str, str]) -> ProjectIndex:
    """Run the ``scripts`` and ``imports`` extractors on a small project, as the engine does."""
    plan = RunPlan(Settings(), (), (ScriptsExtractor, ImportsExtractor), {})
    out: list[FileFacts] = []
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        module = rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        job = SourceFile(path, rel, module, frozenset(), rel.endswith("__init__.py"), False)
        result = analyze(job, plan)
        assert result.facts is not None, result.error
        out.append(result.facts)
    return ProjectIndex.build(out, Settings())


def entries(index: ProjectIndex, path: str) -> dict[str, str]:
    fact = index.files[path].script
    assert fact is not None
    return {e.qualname: e.reason for e in fact.entry_points}


def test_pure_script_is_inline_work_without_guard(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {
            "train.py": """
                import pandas as pd
                LR = 3e-4
                df = pd.read_csv("data.csv")
                def helper(x):
                    return x
                for epoch in range(3):
                    print(helper(epoch))
            """
        },
    )
    kind = scripts.classify(index)["train.py"]
    assert kind.script and kind.pure_script and kind.reason == "module-level work"


def test_bare_main_call_is_a_script_but_not_pure(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {"prep.py": "import sys\ndef main():\n    open('x')\nmain()\n"},
    )
    kind = scripts.classify(index)["prep.py"]
    assert kind.script and not kind.pure_script
    assert entries(index, "prep.py") == {"main": "module-call"}
    fact = index.files["prep.py"].script
    assert fact is not None and [c.target for c in fact.module_calls] == ["prep.main"]


def test_imported_file_is_never_a_script(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/data.py": "import pandas as pd\ndf = pd.read_csv('a.csv')\nprint(df)\n",
            "pkg/train.py": "from pkg import data\nif __name__ == '__main__':\n    print(data.df)\n",
        },
    )
    kinds = scripts.classify(index)
    assert not kinds["pkg/data.py"].script and kinds["pkg/data.py"].imported
    assert kinds["pkg/train.py"].script and kinds["pkg/train.py"].reason == "main guard"
    assert not kinds["pkg/__init__.py"].script


def test_library_module_with_only_definitions_and_setup_is_not_a_script(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {
            "app.py": """
                import logging
                import warnings
                from fastapi import FastAPI
                warnings.filterwarnings("ignore")
                logging.basicConfig(level=logging.INFO)
                app = FastAPI()
                @app.get("/")
                def root():
                    return {}
            """
        },
    )
    assert not scripts.classify(index)["app.py"].script


def test_script_folders_shebang_and_tool_run(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {
            "scripts/fetch.py": "def fetch():\n    pass\n",
            "run.py": "#!/usr/bin/env python\nimport os\n",
            "hooks/post_gen_project.py": "import os\nos.remove('x')\n",
            "setup.py": "from setuptools import setup\nsetup(entry_points={'console_scripts': ['train = pkg.cli:main']})\n",
        },
    )
    kinds = scripts.classify(index)
    assert kinds["scripts/fetch.py"].script and kinds["scripts/fetch.py"].reason == "scripts/ folder"
    assert kinds["run.py"].script and kinds["run.py"].reason == "shebang"
    assert kinds["hooks/post_gen_project.py"].tool_run and kinds["setup.py"].tool_run
    assert scripts.entry_points(index)["pkg.cli.main"] == "console-script"


def test_entry_points_of_every_kind(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {
            "cli.py": """
                import click
                import fire
                import hydra
                import typer
                from prefect import flow, task
                from zenml import pipeline, step
                app = typer.Typer()

                @click.command()
                def preprocess(): ...

                @app.command()
                def serve(): ...

                @hydra.main(config_path="conf")
                def train(cfg): ...

                @flow
                def etl(): ...

                @task
                def extract(): ...

                @pipeline
                def training_pipeline(): ...

                @step
                def clean(df): ...

                def run(): ...
                def evaluate(): ...
                def helper(): ...

                if __name__ == "__main__":
                    fire.Fire({"run": run})
                    evaluate()
            """
        },
    )
    found = entries(index, "cli.py")
    assert found == {
        "preprocess": "decorator:click.command",
        "serve": "decorator:app.command",
        "train": "decorator:hydra.main",
        "etl": "decorator:prefect.flow",
        "training_pipeline": "decorator:zenml.pipeline",
        "run": "call:fire.Fire",
        "evaluate": "main-guard",
    }
    assert scripts.stages(index) == {"cli.extract", "cli.clean"}
    assert "cli.helper" not in scripts.entry_points(index)


def test_framework_references_map_kedro_lifespan(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/nodes.py": "def split(df):\n    return df\n",
            "pkg/pipeline.py": """
                from kedro.pipeline import node, pipeline
                from pkg.nodes import split
                def create_pipeline():
                    return pipeline([node(split, "raw", "parts")])
            """,
            "pkg/hf.py": """
                from datasets import load_dataset
                def tokenize(batch):
                    batch["ids"] = [1]
                    return batch
                def build(ds):
                    return ds.map(tokenize, batched=True)
            """,
            "pkg/api.py": """
                from contextlib import asynccontextmanager
                from fastapi import Depends, FastAPI
                models = {}
                @asynccontextmanager
                async def lifespan(app):
                    models["m"] = 1
                    yield
                def get_db():
                    yield 1
                app = FastAPI(lifespan=lifespan)
                @app.get("/")
                def root(db=Depends(get_db)):
                    return {}
            """,
        },
    )
    assert "pkg.nodes.split" in scripts.stages(index)
    assert scripts.map_functions(index) == {"pkg.hf.tokenize"}
    fact = index.files["pkg/api.py"].script
    assert fact is not None and fact.lifespan == ["get_db", "lifespan"]


def test_import_time_io_and_calls(tmp_path: Path) -> None:
    index = facts_of(
        tmp_path,
        {
            "mod.py": """
                import json
                import pandas as pd
                import torch
                df = pd.read_csv("a.csv")
                with open("cfg.json") as fh:
                    cfg = json.load(fh)
                def load_data():
                    return pd.read_csv("b.csv")
                data = load_data()
                def f(x=torch.load("m.pt")):
                    return pd.read_csv("c.csv")
                if __name__ == "__main__":
                    pd.read_csv("d.csv")
            """
        },
    )
    fact = index.files["mod.py"].script
    assert fact is not None
    assert [s.api for s in fact.import_time_io] == ["pandas.read_csv", "builtins.open", "torch.load"]
    assert [c.target for c in fact.import_time_calls] == ["mod.load_data"]
