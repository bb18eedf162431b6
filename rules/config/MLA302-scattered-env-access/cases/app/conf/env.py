"""Modules in a `conf/` package are config modules too."""

from os import environ

TOKEN = environ["API_TOKEN"]
