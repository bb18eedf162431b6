"""Imports, docstrings and __all__ are never part of a clone."""

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

__all__ = ["np", "pd", "SimpleImputer", "make_pipeline", "OneHotEncoder", "StandardScaler"]
