"""A `fire` entry point whose arguments fall back to the environment, and a script's `main` reading its
settings once at its start (like its main guard would): the entry point is where configuration enters."""

import os

import fire


def main(base_model: str = "", lora_weights: str = "tloen/alpaca-lora-7b", port: int = 0):
    base_model = base_model or os.environ.get("BASE_MODEL", "")
    server_name = os.environ.get("SERVER_NAME", "0.0.0.0")
    cache_dir = os.environ.get("MODEL_CACHE_DIR", "~/.cache")
    print(base_model, lora_weights, server_name, cache_dir, port)


if __name__ == "__main__":
    fire.Fire(main)
