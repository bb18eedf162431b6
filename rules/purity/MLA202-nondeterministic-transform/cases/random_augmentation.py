"""Intentionally random transforms say so in their name: randomness is their contract."""

import random

import numpy as np


def random_crop(image, size):
    top = random.randint(0, image.shape[0] - size)
    return image[top : top + size]


def augment_text(tokens):
    return random.sample(tokens, len(tokens))


class ColorJitter:
    def transform(self, X):
        return X * np.random.uniform(0.9, 1.1)
