"""A transforms package: a factory is not a transform, but the closure it returns is one."""

import numpy as np


def make_normalizer(stats_path):
    def normalize(image):
        stats = np.load(stats_path)  # expect: MLA201
        return (image - stats["mean"]) / stats["std"]

    return normalize


def resize_and_save(image, out_path):
    small = image[::2, ::2]
    np.save(out_path, small)  # expect: MLA201
    return small
