"""Parameter defaults are configuration the caller can override: `def train(lr=0.01)` is fine."""


def train(X, y, lr=0.01, epochs=20, batch_size=32):
    return X, y, lr, epochs, batch_size
