"""setup.py is run by a packaging tool from the project root: its paths are the project's layout."""

from setuptools import find_packages, setup

with open("requirements.txt") as f:
    requirements = f.read().splitlines()

setup(name="acme", packages=find_packages(), install_requires=requirements)
