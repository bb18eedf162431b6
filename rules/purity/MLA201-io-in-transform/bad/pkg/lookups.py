import pandas as pd_


def load_mcc_table(path):
    # An I/O helper: fine on its own, but not something a transform may call.
    return pd_.read_csv(path)
