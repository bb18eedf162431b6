"""Writing the environment is not reading configuration: it hands settings to a library or a child process."""

import os


def configure_threads(n_threads: int) -> None:
    os.environ["OMP_NUM_THREADS"] = str(n_threads)
    os.environ["MODEL_CACHE"] = "/tmp/cache"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    os.environ.update({"WANDB_MODE": "offline"})
    os.environ.pop("HTTP_PROXY", None)
    os.putenv("MALLOC_ARENA_MAX", "2")
    del os.environ["DEBUG"]
