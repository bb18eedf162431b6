"""Sphinx executes docs/conf.py as its configuration."""

import subprocess

release = subprocess.check_output(["git", "describe", "--tags"]).decode().strip()
