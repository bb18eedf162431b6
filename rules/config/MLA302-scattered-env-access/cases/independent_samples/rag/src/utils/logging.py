"""A helper module of a third sample that happens to be called `logging`."""

import logging


def get_logger(name):
    return logging.getLogger(name)
