"""Settings (config layer, the lowest) that reach up into the feature layer."""

from mlproj.features import FEATURE_COLUMNS  # expect: MLA402

MODEL_COLUMNS = FEATURE_COLUMNS[:2]
