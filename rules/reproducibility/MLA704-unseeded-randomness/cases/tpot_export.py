import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_selection import SelectFwe, f_classif
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

# NOTE: Make sure that the outcome column is labeled 'target' in the data file
tpot_data = pd.read_csv('PATH/TO/DATA/FILE', sep='COLUMN_SEPARATOR', dtype=np.float64)
features = tpot_data.drop('target', axis=1)
training_features, testing_features, training_target, testing_target = \
            train_test_split(features, tpot_data['target'], random_state=42)

# Average CV score on the training set was: 0.8141
exported_pipeline = make_pipeline(
    SelectFwe(score_func=f_classif, alpha=0.024),
    GradientBoostingClassifier(learning_rate=0.1, max_depth=5, min_samples_leaf=5, n_estimators=100, subsample=0.15)
)

exported_pipeline.fit(training_features, training_target)
results = exported_pipeline.predict(testing_features)
