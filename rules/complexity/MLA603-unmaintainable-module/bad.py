import json  # expect: MLA603

import numpy as np
import pandas as pd


def run(cfg, leads, events, model=None, out=None, mode="train", verbose=False):
    leads = leads.drop_duplicates(subset=["user_id"])
    leads = leads[leads["country"].notna()]
    if mode == "train":
        leads = leads[leads["created"] < cfg["cutoff"]]
    elif mode == "backfill":
        leads = leads[(leads["created"] >= cfg["start"]) & (leads["created"] < cfg["end"])]
    else:
        leads = leads[leads["user_id"].isin(cfg.get("ids", []))]
    ev = events[events["user_id"].isin(leads["user_id"])]
    s = ev.groupby("user_id").size().rename("s")
    t = ev.groupby("user_id")["ts"].max().rename("t")
    f = leads.join(s, on="user_id").join(t, on="user_id")
    f["s"] = f["s"].fillna(0).clip(0, cfg.get("max_s", 50) if mode == "train" else cfg.get("max_s_srv", 100))
    f["p"] = (f["plan"].str.lower() != "free").astype(int)
    f["r"] = np.where(f["t"] > cfg["cutoff"], 1, 0) if "t" in f else 0
    f["q"] = np.log1p(f["s"]) * (2 if f["p"].mean() > 0.5 else 1) + (f["r"] * 0.5 if mode != "backfill" else 0)
    for c in cfg.get("extra", []):
        if c in f and f[c].dtype.kind in "if":
            f[c] = (f[c] - f[c].mean()) / (f[c].std() or 1)
        elif c in f:
            f[c] = f[c].astype("category").cat.codes
        else:
            f[c] = 0
    cols = ["s", "p", "r", "q", *cfg.get("extra", [])]
    if mode == "train":
        y = f["converted"].astype(int)
        w = np.where(y == 1, cfg.get("pos_w", 3.0), 1.0) if cfg.get("balance") else None
        model.fit(f[cols], y, sample_weight=w)
        p = model.predict_proba(f[cols])[:, 1]
        auc = float(((p[y == 1][:, None] > p[y == 0][None, :]).mean()) if y.nunique() > 1 else 0.5)
        if verbose or auc < cfg.get("min_auc", 0.6):
            print(json.dumps({"auc": auc, "n": len(f), "pos": int(y.sum()), "cols": cols}))
        if out is not None and auc >= cfg.get("min_auc", 0.6):
            with open(out, "w") as fh:
                json.dump({"auc": auc, "cols": cols, "n": len(f)}, fh)
        return model, auc
    p = model.predict_proba(f[cols])[:, 1] if model is not None else np.zeros(len(f))
    f["score"] = np.round(p * 100).astype(int) if cfg.get("as_int") else p
    f["band"] = pd.cut(f["score"], [-1, 20, 50, 80, 101] if cfg.get("as_int") else [-1, 0.2, 0.5, 0.8, 1.01])
    if out is not None:
        f[["user_id", "score", "band"]].to_csv(out, index=False) if mode == "backfill" else f.to_json(out)
    return f[["user_id", "score", "band"]]
