"""Settings depend on nothing in the package: every other module may import them."""

CLIP_MAX = 100
FEATURE_COLUMNS = ["age", "income", "sessions"]
MODEL_COLUMNS = FEATURE_COLUMNS[:2]
