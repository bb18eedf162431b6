import lightgbm as lgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from torch import optim

LEARNING_RATE = 3e-4  # expect: MLA301
Batch_Size = 64  # (the same finding: the module's hyperparameter constants)


def train(X, y, model):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  # expect: MLA301
    forest = RandomForestClassifier(n_estimators=300, max_depth=12)  # (the same finding: one function's literals)
    optimizer = optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.05)  # (the same finding)
    params = {
        "objective": "binary",
        "learning_rate": 0.05,  # expect: MLA301
        "num_leaves": 63,  # (the same finding: one params dict)
    }
    booster = lgb.train(params, lgb.Dataset(X_train, y_train))
    return forest.fit(X_train, y_train), optimizer, booster
