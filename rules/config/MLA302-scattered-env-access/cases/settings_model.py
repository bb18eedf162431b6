"""Config models may read the environment (default factories, validators)."""

import os
from dataclasses import dataclass, field


@dataclass
class ServiceSettings:
    data_dir: str = field(default_factory=lambda: os.environ.get("DATA_DIR", "data"))
    workers: int = int(os.getenv("WORKERS", "2"))
