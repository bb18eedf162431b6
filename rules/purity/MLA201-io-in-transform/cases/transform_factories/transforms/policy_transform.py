"""A function of a transforms package that *builds* a transform (reads an augmentation policy once and
returns the closure that does the work) is configuration code, not a transform of data."""

import itertools
import json
import random

from albumentations import Compose, Flip, RandomRotate90, Resize


def policy_transform(split, policies=None, size=512):
    if isinstance(policies, str):
        with open(policies) as fid:
            policies = itertools.chain.from_iterable(json.load(fid))
    aug_list = [Compose([RandomRotate90(**p)]) for p in policies or []]
    resize = Resize(height=size, width=size)

    def transform(image):
        if split == "train" and aug_list:
            image = random.choice(aug_list)(image=image)["image"]
        return resize(image=image)["image"]

    return transform


def get_train_transforms(config_path):
    with open(config_path) as f:
        size = json.load(f)["size"]
    return [Flip(), Resize(height=size, width=size)]


def randaugment(policy_path):
    params = json.load(open(policy_path))
    pipeline = Compose([RandomRotate90(**params), Flip()])
    return pipeline
