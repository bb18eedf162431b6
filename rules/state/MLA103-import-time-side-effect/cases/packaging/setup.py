"""setup.py is executed by setuptools, never imported: reading the README at top level is expected."""

from setuptools import setup

with open("README.md", encoding="utf-8") as fh:
    long_description = fh.read()

setup(name="example", version="0.1", long_description=long_description)
