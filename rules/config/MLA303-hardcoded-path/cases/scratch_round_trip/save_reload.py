"""A demonstration script nothing imports saves a net and loads it back a few lines later: the file is scratch
space between its own steps, not a data path to configure."""

import torch

x = torch.linspace(-1, 1, 100).unsqueeze(1)


def save():
    net = torch.nn.Sequential(torch.nn.Linear(1, 10), torch.nn.ReLU(), torch.nn.Linear(10, 1))
    torch.save(net, "net.pkl")
    torch.save(net.state_dict(), "net_params.pkl")


def restore_net():
    net = torch.load("net.pkl")
    return net(x)


def restore_params():
    net = torch.nn.Sequential(torch.nn.Linear(1, 10), torch.nn.ReLU(), torch.nn.Linear(10, 1))
    net.load_state_dict(torch.load("net_params.pkl"))
    return net(x)


save()
restore_net()
restore_params()
