"""A module that builds augmentations with an augmentation library: its randomness is the point."""

import random

from albumentations import Compose, Flip, RandomRotate90


def policy_transform(policies):
    return Compose([RandomRotate90(), Flip(), random.choice(policies)])
