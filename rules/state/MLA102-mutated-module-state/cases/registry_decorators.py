"""Registries filled at import time by decorators are built once, like a constant."""

MODELS = {}
FEATURES = {}
HOOKS = []


def register(name):
    def decorate(fn):
        MODELS[name] = fn
        return fn

    return decorate


def feature(fn):
    # Not named `register*`, but used as a decorator in this module: import-time registration.
    FEATURES[fn.__name__] = fn
    return fn


def register_hook(fn):
    HOOKS.append(fn)
    return fn


@register("linear")
def linear_model():
    return "linear"


@feature
def ratio(df):
    return df["a"] / df["b"]
