"""Training code that fits its preprocessing before splitting."""

import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler

NUMERIC = ["age", "income"]


def train(df: pd.DataFrame, seed: int) -> float:
    X = df.drop(columns=["converted"])
    y = df["converted"]
    X[NUMERIC] = SimpleImputer(strategy="median").fit_transform(X[NUMERIC])  # expect: MLA702
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    model = LogisticRegression().fit(X_train, y_train)
    return model.score(X_test, y_test)


def select_and_validate(X, y, k):
    selector = SelectKBest(f_classif, k=k)
    X_selected = selector.fit_transform(X, y)  # expect: MLA702
    return cross_val_score(LogisticRegression(), X_selected, y, cv=5)


def resample_then_search(X, y, grid, seed):
    X_res, y_res = SMOTE(random_state=seed).fit_resample(X, y)  # expect: MLA702
    search = GridSearchCV(LogisticRegression(), grid, cv=StratifiedKFold(5))
    search.fit(X_res, y_res)
    return search.best_estimator_


def scale_then_split(X, y, seed):
    scaler = StandardScaler()
    scaler.fit(X)  # expect: MLA702
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def evaluate(model, X_train, y_train, X_test, y_test):
    scaler = StandardScaler()
    model.fit(scaler.fit_transform(X_train), y_train)
    return model.score(scaler.fit_transform(X_test), y_test)  # expect: MLA702


def select_on_train_and_test_then_validate(train_df, test_df, y_train, seed):
    # Put back together with the competition's test rows, but fitted with the labels: the validation
    # folds' labels chose the columns. Only a label-free fit of that shape is transductive (cases/).
    full = pd.concat([train_df, test_df])
    selector = SelectKBest(f_classif, k=50).fit(full[: len(train_df)], y_train)  # expect: MLA702
    X = selector.transform(train_df)
    return cross_val_score(LogisticRegression(), X, y_train, cv=StratifiedKFold(5, shuffle=True, random_state=seed))
