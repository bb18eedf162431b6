"""Plugin discovery: ``init()`` imports the ``feat_*``/``model_*`` modules and registers each class under
the name it declares. Storing a class under its own name is registration (like a ``register`` decorator,
done by a loop): storing it again stores the same entry, so no caller sees a value change."""
import os
from importlib import import_module

MODELS = {}
FEATURES = {}
FEATURE_LIBRARIES = {}
BUILTIN = {}


class Identity:
    NAME = "identity"


def init():
    for fname in os.listdir(os.path.dirname(__file__)):
        if fname.startswith("feat_"):
            cls = import_module(f"{__name__}.{fname[:-3]}").FeatureEncoder
            FEATURES[cls.NAME] = cls
            FEATURE_LIBRARIES.update(cls.FEATURE_LIBRARIES.items())
        elif fname.startswith("model_"):
            cls = import_module(f"{__name__}.{fname[:-3]}").Model
            MODELS[cls.__name__] = cls


def load_builtins():
    BUILTIN["identity"] = Identity
