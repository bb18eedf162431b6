"""One-off: pull conversions from the billing warehouse and attach them to users.

Run by hand: python scripts/backfill_labels.py
"""
import os
import sqlite3

import pandas as pd


def backfill_labels(users):
    conn = sqlite3.connect(os.environ["WAREHOUSE_DB"])
    paid = pd.read_sql("SELECT user_id, MIN(paid_at) AS paid_at FROM invoices GROUP BY user_id", conn)
    conn.close()
    users = users.merge(paid, on="user_id", how="left")
    users["converted"] = users["paid_at"].notna().astype(int)
    return users.drop(columns=["paid_at"])


if __name__ == "__main__":
    users = pd.read_csv("/data/leads/users.csv")
    backfill_labels(users).to_csv("/data/leads/users_labelled.csv", index=False)
