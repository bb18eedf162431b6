"""Reading a module-level name needs no `global`; neither does mutating the object it holds
(that is MLA102's business, not MLA101's)."""

LABELS = ("negative", "positive")


def label_of(index):
    return LABELS[index]
