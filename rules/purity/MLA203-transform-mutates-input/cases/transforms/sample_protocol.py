"""Transform objects in a composed pipeline edit the sample dict they are given and return it: that is the
protocol (`Compose([...])(sample)`), like a `Dataset.map` function. (A frame-annotated parameter, an
`inplace=True` call, a `.loc` store or a sample that is not returned is still reported: see the tests.)"""

import cv2
import numpy as np


class ToFloat:
    def __call__(self, data):
        data["input"] = data["input"].astype(np.float32) / 255.0
        return data


class Resize:
    def __init__(self, size):
        self.size = size

    def forward(self, sample):
        sample["image"] = cv2.resize(sample["image"], self.size)
        sample["meta"]["size"] = self.size
        return sample


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, data):
        for t in self.transforms:
            data = t(data)
        return data
