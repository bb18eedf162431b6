"""Variables that a platform sets for the job (Vertex AI's AIP_MODEL_DIR, the Lightning AI platform's
LIGHTNING_ARTIFACTS_DIR, litdata's DATA_OPTIMIZER_* for its workers, TensorFlow's TF_CONFIG cluster spec)
or that an SDK reads itself (OPENAI_API_KEY): where the code runs, not the project's configuration."""

import json
import os
from pathlib import Path


def output_dir(out_dir: Path) -> Path:
    if not out_dir.is_absolute() and "LIGHTNING_ARTIFACTS_DIR" in os.environ:
        return Path(os.environ["LIGHTNING_ARTIFACTS_DIR"]) / out_dir
    return Path(os.environ.get("AIP_MODEL_DIR", str(out_dir)))


def tokenize_shard(stories: list[str]) -> list[str]:
    global_rank = int(os.environ["DATA_OPTIMIZER_GLOBAL_RANK"])
    num_workers = int(os.environ["DATA_OPTIMIZER_NUM_WORKERS"])
    return stories[global_rank % num_workers :: num_workers]


def cluster_role() -> str:
    return json.loads(os.environ.get("TF_CONFIG", "{}")).get("task", {}).get("type", "chief")


def judge_client() -> object:
    import openai

    return openai.OpenAI(api_key=os.environ["OPENAI_API_KEY"], base_url=os.getenv("OPENAI_BASE_URL"))
