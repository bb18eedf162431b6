"""Memo caches: a module-level dict filled, key by key, with what a function computes for that key
(``functools.lru_cache`` written by hand). Filling it changes no value a caller already saw: quiet.
Counting into a dict, updating a present key, ``clear()`` or appending to a cached list stay reported."""

import glob
import logging
import os

from PIL import Image

IMAGE_CACHE = {}
attn_bias_cache = {}
logger_initialized = {}
_timers = {}


def load_class_images(d):
    """One data set class's images, loaded once per class (Omniglot's few-shot episodes)."""
    if d["class"] not in IMAGE_CACHE:
        files = sorted(glob.glob(os.path.join("data", d["class"], "*.png")))
        IMAGE_CACHE[d["class"]] = [Image.open(f) for f in files]
    return {"class": d["class"], "data": IMAGE_CACHE[d["class"]]}


def get_attn_bias(x_list, make_mask):
    """A block-diagonal attention mask per tuple of shapes (xformers' pattern)."""
    all_shapes = tuple(x.shape for x in x_list)
    if all_shapes not in attn_bias_cache.keys():
        attn_bias_cache[all_shapes] = make_mask(all_shapes)
    return attn_bias_cache[all_shapes]


def get_logger(name, log_file=None):
    """Configure each named logger once."""
    logger = logging.getLogger(name)
    if name in logger_initialized:
        return logger
    if log_file is not None:
        logger.addHandler(logging.FileHandler(log_file))
    logger_initialized[name] = True
    return logger


def check_time(timer_id, make_timer):
    """Seconds since the last check of a named timer, starting it on first use."""
    if timer_id in _timers:
        return _timers[timer_id].since_last_check()
    else:
        _timers[timer_id] = make_timer()
        return 0
