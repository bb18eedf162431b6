from . import FEATURES, init


def features():
    init()
    return sorted(FEATURES)
