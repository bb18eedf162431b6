"""A tutorial of the save/load round trip: the file loads back the very artifacts it saves.

`torch.save(net, "net.pkl")` is reloaded by `torch.load("net.pkl")` in the same file's own run (its
functions are called at module level): a scratch artifact, quiet.
"""

import torch

MODEL_PATH = "net_params.pkl"


def save(net):
    torch.save(net, "net.pkl")
    torch.save(net.state_dict(), MODEL_PATH)


def restore():
    net2 = torch.load("net.pkl")
    net3 = torch.nn.Linear(1, 1)
    net3.load_state_dict(torch.load(MODEL_PATH))
    return net2, net3


save(torch.nn.Linear(1, 1))
restore()
