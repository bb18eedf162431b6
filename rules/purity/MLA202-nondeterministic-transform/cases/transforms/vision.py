"""Augmentation classes and functions in a `transforms/` module (a Kaggle vision pipeline): randomness is their
contract, and reproducibility belongs to seeding the run (MLA704). The module imports no augmentation library
and defines no `Random*` class: the class names, the probability tests and the function names say it."""

import random

import cv2
import numpy as np


class BrightnessShift:
    def __init__(self, max_value=0.1):
        self.max_value = max_value

    def __call__(self, image):
        return image + np.random.uniform(-self.max_value, self.max_value)


class Cutout:
    def __init__(self, n_holes=1, length=16):
        self.n_holes = n_holes
        self.length = length

    def __call__(self, image):
        h, w = image.shape[:2]
        for _ in range(self.n_holes):
            y, x = np.random.randint(h), np.random.randint(w)
            image = image.copy()
            image[max(0, y - self.length) : y + self.length, max(0, x - self.length) : x + self.length] = 0
        return image


class CropAndRescale:
    def __call__(self, image):
        dy = random.randint(0, 8)
        return cv2.resize(image[dy:], image.shape[:2][::-1])


class Rotation:
    def __init__(self, max_angle=15):
        self.max_angle = max_angle

    def __call__(self, image):
        angle = np.random.uniform(-self.max_angle, self.max_angle)
        m = cv2.getRotationMatrix2D((image.shape[1] / 2, image.shape[0] / 2), angle, 1.0)
        return cv2.warpAffine(image, m, image.shape[:2][::-1])


class Apply:
    """A probability compared with a random draw: augmentation whatever the name."""

    def __init__(self, transform, p=0.5):
        self.transform = transform
        self.p = p

    def __call__(self, image):
        if random.random() < self.p:
            return self.transform(image)
        return image


def do_elastic_transform(image, alpha=1.0):
    dx = np.random.uniform(-1, 1, image.shape[:2]) * alpha
    dy = np.random.uniform(-1, 1, image.shape[:2]) * alpha
    return image + dx + dy
