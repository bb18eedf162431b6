"""Glob patterns, platform paths, configuration files, public web resources and figures are not data paths
of the project."""

import glob
import json

import matplotlib.pyplot as plt
import pandas as pd
import yaml


def collect(losses):
    shards = [pd.read_csv(p) for p in glob.glob("data/raw/*.csv")]
    with open("/proc/meminfo") as meminfo, open("/tmp/run.log", "w") as log:
        log.write(meminfo.read())
    words = open("/usr/share/dict/words").read().split()
    config = yaml.safe_load(open("configs/train.yaml"))
    params = json.load(open("params.json"))
    iris = pd.read_csv("https://raw.githubusercontent.com/mwaskom/seaborn-data/master/iris.csv")
    plt.plot(losses)
    plt.savefig("figures/loss.png")
    return shards, words, config, params, iris


def load_table(path=None):
    table = "data/default.csv"
    if path is not None:
        table = path
    return pd.read_csv(table)
