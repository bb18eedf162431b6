"""Transductive preprocessing, as in Kaggle solutions: a label-free step (PCA, FactorAnalysis, a quantile
or standard scaler) fitted on the training features and the competition's unlabelled test features put
together, then the training set is split into CV folds. The test rows are there at prediction time, and
the validation rows are treated exactly like them: no optimism relative to how the model is used."""

import numpy as np
import pandas as pd
from sklearn.decomposition import FactorAnalysis
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import QuantileTransformer, StandardScaler

train_features = pd.read_csv("input/train_features.csv")
train_targets = pd.read_csv("input/train_targets.csv")
test_features = pd.read_csv("input/test_features.csv")
GENES = [c for c in train_features.columns if c.startswith("g-")]

data = pd.concat([pd.DataFrame(train_features[GENES]), pd.DataFrame(test_features[GENES])])
data2 = FactorAnalysis(n_components=50, random_state=42).fit_transform(data[GENES])
train2 = pd.DataFrame(data2[: train_features.shape[0]])
test2 = pd.DataFrame(data2[-test_features.shape[0] :])
train_features = pd.concat((train_features, train2), axis=1)
test_features = pd.concat((test_features, test2), axis=1)

qt = QuantileTransformer(n_quantiles=100, random_state=0, output_distribution="normal")
data = train_features.append(test_features)
data_transformed = qt.fit_transform(data.iloc[:, 4:])
train_features_transformed = data_transformed[: train_features.shape[0]]
test_features_transformed = data_transformed[-test_features.shape[0] :]

train = pd.concat([train_features.iloc[:, :4], pd.DataFrame(train_features_transformed)], axis=1)
test = pd.concat([test_features.iloc[:, :4], pd.DataFrame(test_features_transformed)], axis=1)
target = train.merge(train_targets, on="sig_id")[train_targets.columns[1:]]

folds = train.copy()
for fold, (trn_idx, val_idx) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(X=train, y=target)):
    folds.loc[val_idx, "kfold"] = fold


def scale_with_test(train_list, test_list, labels):
    scaler = StandardScaler()
    scaler.fit(np.concatenate((train_list, test_list), axis=0))
    train_list = scaler.transform(train_list)
    test_list = scaler.transform(test_list)
    return list(StratifiedKFold(5, shuffle=True, random_state=0).split(train_list, labels)), test_list
