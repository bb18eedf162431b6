"""Imports of third-party and standard-library modules are never cycle edges."""

import json

import numpy as np
import pandas as pd


def frame(text: str) -> pd.DataFrame:
    return pd.DataFrame(json.loads(text)).astype(np.float64)
