from sklearn.model_selection import train_test_split

from pkg import config


def holdout(X, y):
    return train_test_split(X, y, test_size=config.TEST_SIZE, random_state=config.SEED)
