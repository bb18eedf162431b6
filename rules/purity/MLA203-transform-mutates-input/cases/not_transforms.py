"""Functions that are not transforms may mutate their arguments (other rules may have an opinion)."""


def register(registry, name, fn):
    registry[name] = fn


def update_cache(cache, key, value):
    cache[key] = value
