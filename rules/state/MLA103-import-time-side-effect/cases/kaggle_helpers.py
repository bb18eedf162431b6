"""A Kaggle ensembling script (rules.md v2, "Scripts"): no main guard, imported by nothing, its module level
reads its arguments and wires its helper to them (``kaggle_bag(glob_files, loc_outfile, ...)``), and binds
a helper's result (``sub = blend(...)``). The module level is the script's body, with helper functions
called among it: a pure script, whose import is its run. MLA103 stays quiet (a lone ``main()`` at the
bottom would still be the missing guard)."""

import sys
from glob import glob

import pandas as pd

glob_files = sys.argv[1]
loc_outfile = sys.argv[2]
weights_strategy = "uniform"
if len(sys.argv) == 4:
    weights_strategy = sys.argv[3]


def blend(paths):
    frames = [pd.read_csv(p, index_col=0) for p in sorted(glob(paths))]
    return sum(frames) / len(frames)


def kaggle_bag(glob_files, loc_outfile, weights="uniform"):
    with open(loc_outfile, "w") as outfile:
        outfile.write(blend(glob_files).to_csv())


sub = blend(glob_files)
kaggle_bag(glob_files, loc_outfile, weights=weights_strategy)
