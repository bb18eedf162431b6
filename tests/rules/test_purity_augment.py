"""Issue 11 precision: data augmentation is random by contract (MLA202 quiet on its generator draws, one
finding per function otherwise), and a transform object's `__call__`/`forward` that edits the sample dict it
is given and returns it follows the pipeline protocol (MLA203 quiet); the core positives stay."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import audit
from tests.conftest import rows as lines

# --- MLA202 ------------------------------------------------------------------------------------------------

_VISION = """
import random
import numpy as np

class BrightnessShift:
    def __call__(self, image):
        return image + np.random.uniform(-0.1, 0.1)

class Cutout:
    def __call__(self, image):
        y, x = np.random.randint(10), np.random.randint(10)
        return image[y:, x:]

class CropAndRescale:
    def __call__(self, image):
        return image[random.randint(0, 8):]

class Rotation:
    def __call__(self, image):
        return image, np.random.uniform(-15, 15)

def do_elastic_transform(image):
    return image + np.random.uniform(-1, 1, image.shape)
"""


def test_augmentation_names_are_random_by_contract(tmp_path: Path) -> None:
    assert audit(tmp_path, {"pkg/transforms/transforms.py": _VISION}, "MLA202") == []


def test_augmentation_library_imports_and_paths_are_random_by_contract(tmp_path: Path) -> None:
    body = """
    import numpy as np
    {imp}

    class Normalize:
        def __call__(self, image):
            return image * np.random.uniform(0.9, 1.1)
    """
    files = {
        "a/transforms/ops.py": body.format(imp="import torchvision"),
        "b/transforms/ops.py": body.format(imp="from monai.transforms import Compose"),
        "c/transforms/augmentations.py": body.format(imp=""),
        "d/transforms/ops.py": body.format(imp=""),  # nothing says augmentation: reported
    }
    found = audit(tmp_path, files, "MLA202")
    assert lines(found) == [("d/transforms/ops.py", 6)]


def test_a_probability_compared_with_a_draw_marks_augmentation(tmp_path: Path) -> None:
    src = """
    import random
    import numpy as np

    class Apply:
        def __init__(self, transform, p=0.5):
            self.transform, self.p = transform, p

        def __call__(self, image):
            if random.random() < self.p:
                return self._apply(image)
            return image

        def _apply(self, image):          # the class is augmentation: its other methods too
            return image * np.random.uniform(0.9, 1.1)

    def maybe(image, prob=0.3):
        return image[::-1] if np.random.rand() < prob else image

    def build_features(df):
        return df.assign(holdout=np.random.rand(len(df)) < 0.2)   # a random split, not augmentation
    """
    found = audit(tmp_path, {"pkg/features.py": src}, "MLA202")
    assert lines(found) == [("pkg/features.py", 20)]


def test_clock_in_augmentation_is_still_reported_and_one_finding_per_function(tmp_path: Path) -> None:
    stamp = """
    import random
    from datetime import datetime

    class RandomStamp:
        def __call__(self, sample):
            return {**sample, "seen": datetime.now(), "r": random.random()}
    """
    features = """
    from datetime import datetime
    import numpy as np

    def build_features(df):
        noise = np.random.normal(size=len(df))
        order = np.random.permutation(len(df))
        return df.assign(noise=noise, at=datetime.now()).iloc[order]
    """
    found = audit(tmp_path, {"pkg/transforms/stamp.py": stamp, "pkg/features.py": features}, "MLA202")
    assert lines(found) == [("pkg/features.py", 5), ("pkg/transforms/stamp.py", 6)]
    first, second = sorted(found, key=lambda f: f.filename)
    assert "3 times" in first.message and "reads the clock and draws" in first.message
    assert [r.location.row for r in first.related] == [6, 7]
    assert "reads the clock (`datetime.datetime.now`)" in second.message and not second.related


def test_shift_helper_does_not_make_a_feature_module_augmentation(tmp_path: Path) -> None:
    src = """
    import numpy as np

    def shift_series(s, n):
        return s.shift(n)

    def build_features(df):
        return df.assign(noise=np.random.normal(size=len(df)))
    """
    found = audit(tmp_path, {"pkg/features.py": src}, "MLA202")
    assert lines(found) == [("pkg/features.py", 7)]


# --- MLA203 ------------------------------------------------------------------------------------------------


def test_sample_dict_protocol_is_quiet_and_frames_stay_reported(tmp_path: Path) -> None:
    src = """
    import pandas as pd

    class ToFloat:
        def __call__(self, data):
            data["input"] = data["input"] / 255.0
            return data

    class Resize:
        def forward(self, sample):
            sample["image"] = sample["image"][::2]
            sample["meta"]["size"] = 2
            return sample

    def preprocess(df):
        df["x"] = df["x"].fillna(0)
        return df

    class FrameCleaner:
        def __call__(self, df: pd.DataFrame) -> pd.DataFrame:
            df["x"] = df["x"].clip(0)
            return df

    class DropRaw:
        def __call__(self, data):
            data.drop(columns=["raw"], inplace=True)
            return data

    class Locate:
        def __call__(self, data):
            data.loc[data.x < 0, "x"] = 0
            return data

    class Encode:
        def transform(self, batch):
            batch["label"] = batch["label"] + 1
            return batch

    class Annotate:
        def __call__(self, data):
            data["seen"] = True
            return {"input": data["input"]}
    """
    found = audit(tmp_path, {"pkg/features.py": src}, "MLA203")
    assert lines(found) == [("pkg/features.py", r) for r in (15, 20, 25, 30, 35, 40)]


def test_dict_annotated_sample_in_a_transform_method_is_the_protocol(tmp_path: Path) -> None:
    src = """
    from typing import Any, Dict

    DataEntry = Dict[str, Any]

    class AsNumpyArray:
        def transform(self, data: DataEntry) -> DataEntry:
            data["target"] = list(data["target"])
            return data

    class Rename:
        def transform(self, data: Dict[str, Any]) -> Dict[str, Any]:
            data["y"] = data.pop("x")
            return data

    class Scale:
        def transform(self, X):
            X["a"] = X["a"] * 2
            return X

    def add_flag(data: dict) -> dict:     # a plain function: still reported
        data["flag"] = True
        return data
    """
    found = audit(tmp_path, {"pkg/features.py": src}, "MLA203")
    assert lines(found) == [("pkg/features.py", 17), ("pkg/features.py", 21)]
