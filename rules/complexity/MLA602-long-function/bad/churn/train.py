import json

import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import precision_recall_curve, roc_auc_score
from sklearn.model_selection import train_test_split


def main(settings):  # expect: MLA602
    # load
    leads = pd.read_csv(settings.leads_path)
    events = pd.read_csv(settings.events_path)
    invoices = pd.read_csv(settings.invoices_path)
    print(f"loaded {len(leads)} leads, {len(events)} events, {len(invoices)} invoices")
    # clean leads
    leads = leads.drop_duplicates(subset=["user_id"])
    leads = leads[leads["country"].notna()]
    leads["plan"] = leads["plan"].str.lower().str.strip()
    leads["country"] = leads["country"].str.upper()
    leads["created"] = pd.to_datetime(leads["created"], utc=True)
    leads = leads[leads["created"] < settings.cutoff]
    # clean events
    events = events[events["user_id"].isin(leads["user_id"])]
    events["ts"] = pd.to_datetime(events["ts"], utc=True)
    events = events[events["ts"] < settings.cutoff]
    events = events.sort_values(["user_id", "ts"])
    # clean invoices
    invoices = invoices[invoices["user_id"].isin(leads["user_id"])]
    invoices["amount"] = invoices["amount"].clip(lower=0)
    invoices["paid_at"] = pd.to_datetime(invoices["paid_at"], utc=True)
    # activity features
    sessions = events.groupby("user_id").size().rename("sessions")
    active_days = events.groupby("user_id")["ts"].apply(lambda ts: ts.dt.date.nunique()).rename("active_days")
    last_seen = events.groupby("user_id")["ts"].max().rename("last_seen")
    first_seen = events.groupby("user_id")["ts"].min().rename("first_seen")
    gaps = events.groupby("user_id")["ts"].diff().dt.total_seconds()
    mean_gap = gaps.groupby(events["user_id"]).mean().rename("mean_gap")
    # billing features
    revenue = invoices.groupby("user_id")["amount"].sum().rename("revenue")
    n_invoices = invoices.groupby("user_id").size().rename("n_invoices")
    # assemble
    frame = leads.set_index("user_id")
    frame = frame.join([sessions, active_days, last_seen, first_seen, mean_gap, revenue, n_invoices])
    frame["sessions"] = frame["sessions"].fillna(0)
    frame["active_days"] = frame["active_days"].fillna(0)
    frame["mean_gap"] = frame["mean_gap"].fillna(frame["mean_gap"].median())
    frame["revenue"] = frame["revenue"].fillna(0)
    frame["n_invoices"] = frame["n_invoices"].fillna(0)
    frame["tenure_days"] = (settings.cutoff - frame["created"]).dt.days
    frame["recency_days"] = (settings.cutoff - frame["last_seen"]).dt.days.fillna(999)
    frame["is_paid"] = (frame["plan"] != "free").astype(int)
    frame["sessions_per_day"] = frame["sessions"] / frame["tenure_days"].clip(lower=1)
    frame = pd.get_dummies(frame, columns=["country"], prefix="c")
    columns = [c for c in frame.columns if c not in ("converted", "created", "last_seen", "first_seen", "plan")]
    print(f"{len(columns)} feature columns")
    # split
    train, test = train_test_split(frame, random_state=settings.seed, stratify=frame["converted"])
    print(f"{len(train)} training rows, {len(test)} test rows")
    positives = train["converted"].mean()
    print(f"positive rate {positives:.3f}")
    # fit
    model = GradientBoostingClassifier(random_state=settings.seed)
    model.fit(train[columns], train["converted"])
    # evaluate
    scores = model.predict_proba(test[columns])[:, 1]
    auc = roc_auc_score(test["converted"], scores)
    precision, recall, thresholds = precision_recall_curve(test["converted"], scores)
    best = (2 * precision * recall / (precision + recall + 1e-9)).argmax()
    threshold = float(thresholds[min(best, len(thresholds) - 1)])
    print(f"test AUC {auc:.3f}, F1-optimal threshold {threshold:.2f}")
    if auc < settings.min_auc:
        raise SystemExit(f"AUC {auc:.3f} below {settings.min_auc}")
    # calibration check
    bins = pd.qcut(scores, 10, duplicates="drop")
    calibration = test.assign(score=scores).groupby(bins)["converted"].mean()
    print(calibration)
    # per-segment evaluation
    segments = {}
    for plan in sorted(test["plan"].unique()):
        mask = (test["plan"] == plan).to_numpy()
        if mask.sum() < settings.min_segment_rows or test["converted"][mask].nunique() < 2:
            print(f"skipping segment {plan}: too few rows")
            continue
        segment_auc = roc_auc_score(test["converted"][mask], scores[mask])
        segments[plan] = round(float(segment_auc), 4)
        print(f"segment {plan}: AUC {segment_auc:.3f} on {mask.sum()} rows")
    worst = min(segments, key=segments.get) if segments else None
    if worst is not None and segments[worst] < settings.min_segment_auc:
        print(f"warning: segment {worst} has AUC {segments[worst]:.3f}")
    # drift against the previous model
    previous = json.loads(open(settings.report_path).read()) if settings.compare else {}
    delta = auc - previous.get("auc", auc)
    print(f"AUC change against the previous model: {delta:+.3f}")
    # report
    importances = dict(zip(columns, model.feature_importances_.round(4).tolist()))
    top = sorted(importances.items(), key=lambda item: -item[1])[:10]
    report = {"auc": auc, "threshold": threshold, "rows": len(frame), "top_features": top, "segments": segments}
    with open(settings.report_path, "w") as fh:
        json.dump(report, fh, indent=2)
    # export
    joblib.dump(model, settings.model_path)
    joblib.dump(columns, settings.columns_path)
    joblib.dump(threshold, settings.threshold_path)
    print("done")
    return report
