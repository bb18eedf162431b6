from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

from pkg import config


def train(X, y):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config.TEST_SIZE, random_state=config.SEED
    )
    model = GradientBoostingClassifier(learning_rate=config.LEARNING_RATE)
    return model.fit(X_train, y_train), X_test, y_test
