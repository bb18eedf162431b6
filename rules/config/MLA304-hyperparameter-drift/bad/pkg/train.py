from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split


def train(X, y):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7)
    model = GradientBoostingClassifier(learning_rate=0.05)  # expect: MLA304
    return model.fit(X_train, y_train), X_test, y_test
