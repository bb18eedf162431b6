import json
import os
import sqlite3
import sys
from datetime import datetime

import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

import utils
from features import build_features, sample_negatives
from model import MODEL_FEATURES, make_model
from scripts.backfill_labels import backfill_labels

RESULTS = []
BEST_AUC = 0.0


def preprocess(df):
    df["company_size"] = df["company_size"].fillna(0)
    df["is_enterprise"] = (df["company_size"] >= 500).astype(int)
    df["sessions_7d"] = df["sessions_7d"].clip(upper=50)
    df["pricing_views"] = np.log1p(df["pricing_views"])
    df["days_since_login"] = df["days_since_login"].fillna(30).clip(0, 90)
    df["country"] = df["country"].str.upper().fillna("UNKNOWN")
    df = pd.get_dummies(df, columns=["country"], prefix="country")
    df = df.drop(columns=["email", "signup_ip"], errors="ignore")
    return df


def assign_segment(row):
    if row["company_size"] >= 1000:
        if row["country_US"] == 1 or row["country_CA"] == 1:
            segment = "enterprise_na"
        elif row["pricing_views"] > 2:
            segment = "enterprise_hot"
        else:
            segment = "enterprise"
    elif row["company_size"] >= 100:
        if row["sessions_7d"] > 10 and row["invites_sent"] > 0:
            segment = "midmarket_active"
        elif row["days_since_login"] > 30:
            segment = "midmarket_dormant"
        else:
            segment = "midmarket"
    elif row["sessions_7d"] == 0 and row["days_since_login"] > 60:
        segment = "churned"
    elif row["invites_sent"] > 2 or row["pricing_views"] > 3:
        segment = "smb_hot"
    else:
        segment = "smb"
    return segment


def precision_at_recall(y_true, scores, target=0.8):
    precision, recall, _ = precision_recall_curve(y_true, scores)
    return precision[recall >= target].max()


def cross_validate(X, y, kind, folds=5):
    skf = StratifiedKFold(n_splits=folds, shuffle=True)
    aucs = []
    praucs = []
    for fold, (tr, te) in enumerate(skf.split(X, y)):
        if kind == "gbm":
            m = make_model("gbm")
        else:
            m = LogisticRegression(C=1.0, max_iter=200, class_weight="balanced")
        m.fit(X.iloc[tr], y.iloc[tr])
        s = m.predict_proba(X.iloc[te])[:, 1]
        aucs.append(roc_auc_score(y.iloc[te], s))
        praucs.append(precision_at_recall(y.iloc[te], s))
        utils.log(f"fold {fold}: auc={aucs[-1]:.4f} p@r={praucs[-1]:.4f}")
    return np.mean(aucs), np.std(aucs), np.mean(praucs)


def grid_search(X, y):
    best = None
    rows = []
    for c in [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]:
        for cw in [None, "balanced"]:
            skf = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
            scores = []
            for tr, te in skf.split(X, y):
                m = LogisticRegression(C=c, max_iter=500, class_weight=cw)
                m.fit(X.iloc[tr], y.iloc[tr])
                scores.append(roc_auc_score(y.iloc[te], m.predict_proba(X.iloc[te])[:, 1]))
            rows.append({"C": c, "class_weight": cw, "auc": np.mean(scores), "std": np.std(scores)})
            if best is None or np.mean(scores) > best[2]:
                best = (c, cw, np.mean(scores))
    table = pd.DataFrame(rows).sort_values("auc", ascending=False)
    print(table.head(10).to_string(index=False))
    return best


def lift_table(y_true, scores, bins=10):
    d = pd.DataFrame({"y": np.asarray(y_true), "s": scores})
    d["decile"] = pd.qcut(d["s"].rank(method="first"), bins, labels=False)
    d["decile"] = bins - d["decile"]
    t = d.groupby("decile").agg(n=("y", "size"), conv=("y", "sum"), avg_score=("s", "mean"))
    t["conv_rate"] = t["conv"] / t["n"]
    t["lift"] = t["conv_rate"] / d["y"].mean()
    t["cum_conv"] = t["conv"].cumsum() / t["conv"].sum()
    return t.reset_index()


def calibration_table(y_true, scores, bins=10):
    d = pd.DataFrame({"y": np.asarray(y_true), "s": scores})
    d["bin"] = pd.cut(d["s"], np.linspace(0, 1, bins + 1), include_lowest=True)
    t = d.groupby("bin", observed=True).agg(n=("y", "size"), observed=("y", "mean"), predicted=("s", "mean"))
    t["gap"] = (t["observed"] - t["predicted"]).abs()
    ece = (t["gap"] * t["n"]).sum() / t["n"].sum()
    return t.reset_index(), ece


def check_drift(df, cols):
    ref = pd.read_csv("/data/leads/reference_stats.csv", index_col=0)
    drifted = []
    for c in cols:
        if c not in ref.index:
            continue
        mu, sd = ref.loc[c, "mean"], ref.loc[c, "std"]
        cur = df[c].mean()
        z = abs(cur - mu) / sd if sd > 0 else 0
        if z > 3:
            drifted.append((c, mu, cur, z))
            utils.log(f"DRIFT {c}: ref={mu:.3f} now={cur:.3f} z={z:.1f}")
    return drifted


def build_report_html(run_name, kind, metrics, lift, calib, drifted):
    html = "<html><head><title>Lead model " + run_name + "</title></head><body>"
    html += "<h1>Lead scoring model: " + kind + "</h1>"
    html += "<h2>Metrics</h2><table>"
    for k, v in metrics.items():
        if isinstance(v, float):
            html += "<tr><td>" + k + "</td><td>" + f"{v:.4f}" + "</td></tr>"
        else:
            html += "<tr><td>" + k + "</td><td>" + str(v) + "</td></tr>"
    html += "</table><h2>Lift by decile</h2><table><tr><th>decile</th><th>n</th><th>conv</th><th>lift</th></tr>"
    for _, r in lift.iterrows():
        html += "<tr><td>" + str(r["decile"]) + "</td><td>" + str(r["n"]) + "</td><td>"
        html += f"{r['conv_rate']:.3f}" + "</td><td>" + f"{r['lift']:.2f}" + "</td></tr>"
    html += "</table><h2>Calibration</h2><table>"
    for _, r in calib.iterrows():
        html += "<tr><td>" + str(r["bin"]) + "</td><td>" + f"{r['observed']:.3f}" + "</td><td>"
        html += f"{r['predicted']:.3f}" + "</td></tr>"
    html += "</table>"
    if drifted:
        html += "<h2 style='color:red'>Drift</h2><ul>"
        for c, mu, cur, z in drifted:
            html += "<li>" + c + ": " + f"{mu:.3f} -> {cur:.3f} (z={z:.1f})" + "</li>"
        html += "</ul>"
    html += "</body></html>"
    return html


def export_scores(df, model, feature_cols, run_name):
    out = df[["user_id"]].copy()
    out["score"] = model.predict_proba(df[feature_cols].astype(float))[:, 1]
    out["run"] = run_name
    out["scored_at"] = datetime.now().isoformat()
    conn = sqlite3.connect(os.environ.get("SCORES_DB", "scores.db"))
    out.to_sql("lead_scores", conn, if_exists="append", index=False)
    conn.commit()
    conn.close()
    utils.log(f"exported {len(out)} scores")
    return out


def load_previous_metrics():
    if not os.path.exists("metrics.json"):
        return []
    with open("metrics.json") as f:
        return json.load(f)


def main():
    global BEST_AUC
    kind = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "logreg"
    backfill = "--no-backfill" not in sys.argv
    run_name = os.environ.get("RUN_NAME", datetime.now().strftime("%Y%m%d-%H%M"))
    utils.log(f"run {run_name}: training {kind}")
    if not RESULTS:
        RESULTS.extend(load_previous_metrics())
        BEST_AUC = max([r["auc"] for r in RESULTS], default=0.0)

    users = pd.read_csv("/data/leads/users.csv")
    users["signup_date"] = pd.to_datetime(users["signup_date"], utc=True)
    if backfill:
        users = backfill_labels(users)
    users = users[users["signup_date"] > "2023-01-01"]
    users = users.drop_duplicates(subset=["user_id"])
    utils.log(f"{len(users)} users, {users['converted'].mean():.1%} converted")

    df = build_features(users)
    df = preprocess(df)
    for country in ["US", "CA", "GB", "DE"]:
        if f"country_{country}" not in df:
            df[f"country_{country}"] = 0
    df["segment"] = df.apply(assign_segment, axis=1)
    df = pd.get_dummies(df, columns=["segment"], prefix="seg")
    utils.log_feature_stats(df)
    drifted = check_drift(df, MODEL_FEATURES)

    if os.environ.get("DOWNSAMPLE") == "1":
        df = sample_negatives(df)

    feature_cols = MODEL_FEATURES + [c for c in df.columns if c.startswith("seg_")]
    X = df[feature_cols].astype(float)
    y = df["converted"].astype(int)
    if "--grid" in sys.argv:
        best_c, best_cw, best_cv_auc = grid_search(X, y)
        utils.log(f"grid search: C={best_c} class_weight={best_cw} auc={best_cv_auc:.4f}")
    if "--cv" in sys.argv:
        cv_auc, cv_std, cv_pr = cross_validate(X, y, kind)
        print(f"CV AUC {cv_auc:.4f} +- {cv_std:.4f}, P@R80 {cv_pr:.4f}")
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
    utils.log(f"train={len(X_train)} test={len(X_test)}")

    if kind == "gbm":
        model = make_model("gbm")
    else:
        model = LogisticRegression(C=1.0, max_iter=200, class_weight="balanced")
    model.fit(X_train, y_train)

    scores = model.predict_proba(X_test)[:, 1]
    auc = roc_auc_score(y_test, scores)
    p_at_r = precision_at_recall(y_test, scores)
    best_threshold = 0.5
    best_f1 = 0
    for t in np.arange(0.05, 0.95, 0.05):
        pred = (scores >= t).astype(int)
        p = precision_score(y_test, pred, zero_division=0)
        r = recall_score(y_test, pred)
        f1 = 2 * p * r / (p + r) if p + r > 0 else 0
        if f1 > best_f1:
            best_f1 = f1
            best_threshold = t
    pred = (scores >= best_threshold).astype(int)
    precision = precision_score(y_test, pred, zero_division=0)
    recall = recall_score(y_test, pred)
    lift = lift_table(y_test, scores)
    calib, ece = calibration_table(y_test, scores)

    print("=" * 60)
    print(f"model:            {kind}")
    print(f"AUC:              {auc:.4f}")
    print(f"P@R80:            {p_at_r:.4f}")
    print(f"best threshold:   {best_threshold:.2f}")
    print(f"precision:        {precision:.4f}")
    print(f"recall:           {recall:.4f}")
    print(f"f1:               {best_f1:.4f}")
    print(f"ECE:              {ece:.4f}")
    print(f"top decile lift:  {lift['lift'].iloc[0]:.2f}")
    print("=" * 60)

    if hasattr(model, "coef_"):
        coefs = pd.Series(model.coef_[0], index=feature_cols).sort_values()
        print("top negative:")
        print(coefs.head(5))
        print("top positive:")
        print(coefs.tail(5))
    elif hasattr(model, "feature_importances_"):
        imp = pd.Series(model.feature_importances_, index=feature_cols).sort_values(ascending=False)
        print(imp.head(10))

    metrics = {
        "run": run_name,
        "model": kind,
        "auc": auc,
        "p_at_r80": p_at_r,
        "threshold": float(best_threshold),
        "precision": precision,
        "recall": recall,
        "ece": ece,
        "n_train": len(X_train),
        "n_test": len(X_test),
        "drifted": [d[0] for d in drifted],
    }
    RESULTS.append(metrics)
    with open("metrics.json", "w") as f:
        json.dump(RESULTS, f, indent=2, default=float)
    with open("report.html", "w") as f:
        f.write(build_report_html(run_name, kind, metrics, lift, calib, drifted))

    if auc > BEST_AUC:
        BEST_AUC = auc
        joblib.dump(model, "model.pkl")
        joblib.dump(feature_cols, "feature_cols.pkl")
        utils.log(f"new best model saved (auc={auc:.4f})")
    else:
        utils.log(f"auc {auc:.4f} <= best {BEST_AUC:.4f}, not saving")
    if "--export" in sys.argv:
        export_scores(df, model, feature_cols, run_name)

    if os.environ.get("SLACK_WEBHOOK"):
        import requests

        requests.post(
            os.environ["SLACK_WEBHOOK"],
            json={"text": f"lead model {run_name}: AUC {auc:.3f}, P@R80 {p_at_r:.3f}"},
            timeout=10,
        )
    return metrics

if __name__ == "__main__":
    main()
