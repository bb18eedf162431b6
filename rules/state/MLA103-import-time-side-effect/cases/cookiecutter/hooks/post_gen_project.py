"""A cookiecutter hook: cookiecutter runs it once after generating a project; nothing imports it."""

import os
import shutil
import subprocess

if "{{ cookiecutter.use_docker }}" != "yes":
    shutil.rmtree("docker")
os.remove("LICENSE") if "{{ cookiecutter.license }}" == "none" else None
subprocess.run(["git", "init"], check=False)
