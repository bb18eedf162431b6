"""Pipeline settings; they reach into the feature module for its column list."""

from mlproj.features import FEATURE_COLUMNS  # expect: MLA401

CLIP_MAX = 100
MODEL_COLUMNS = FEATURE_COLUMNS[:2]
