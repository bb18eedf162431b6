"""Split first; fit preprocessing on the training part, or inside a cross-validated Pipeline."""

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def train(df, seed):
    X = df.drop(columns=["converted"])
    y = df["converted"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    model = make_pipeline(StandardScaler(), LogisticRegression())
    cv_scores = cross_val_score(model, X_train, y_train, cv=5)
    model.fit(X_train, y_train)
    return cv_scores, model.score(X_test, y_test)


def train_by_hand(X, y, seed):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    model = LogisticRegression().fit(scaler.transform(X_train), y_train)
    return model.score(scaler.transform(X_test), y_test)
