"""Sphinx configuration: run by `sphinx-build`, never imported by the project."""

import subprocess

project = "mypkg"
_git_revision = None


def _get_git_revision():
    return subprocess.check_output(["git", "rev-parse", "HEAD"]).decode().strip()


def linkcode_resolve(domain, info):
    global _git_revision
    if domain != "py":
        return None
    _git_revision = _git_revision or _get_git_revision()
    return f"https://github.com/me/mypkg/blob/{_git_revision}/{info['module'].replace('.', '/')}.py"
