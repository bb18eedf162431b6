"""A config module (role `config`): literals here are the configuration."""

from sklearn.ensemble import RandomForestClassifier

LEARNING_RATE = 3e-4
BATCH_SIZE = 64
BASELINE = RandomForestClassifier(n_estimators=100, max_depth=8)
