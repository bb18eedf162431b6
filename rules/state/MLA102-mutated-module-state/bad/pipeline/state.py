"""Module-level caches shared by the pipeline: every function below changes them in place."""

from collections import defaultdict

import pandas as pd

CACHE = {}
SEEN_COLUMNS = set()
CALLS_PER_STEP = defaultdict(int)
HISTORY = pd.DataFrame({"step": [], "rows": []})
WARNINGS = []


def remember(key, value):
    CACHE[key] = value  # expect: MLA102


def log_step(step, rows):
    CALLS_PER_STEP[step] += 1  # expect: MLA102
    HISTORY.loc[len(HISTORY)] = [step, rows]  # same function: in `related`
    if rows == 0:
        WARNINGS.append(f"{step} produced no rows")  # same function: in `related`
