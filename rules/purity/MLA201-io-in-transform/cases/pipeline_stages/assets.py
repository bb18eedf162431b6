"""Dagster ops/assets and Airflow TaskFlow tasks are stages too."""

import pandas as pd
from airflow.decorators import task
from dagster import asset, op


@asset
def preprocess_orders() -> pd.DataFrame:
    return pd.read_parquet("s3://bucket/orders.parquet").dropna()


@op
def transform_events(events: pd.DataFrame) -> None:
    events.assign(day=events.ts.dt.date).to_parquet("events.parquet")


@task
def clean_users(path: str) -> str:
    users = pd.read_csv(path).drop_duplicates()
    users.to_csv("users_clean.csv", index=False)
    return "users_clean.csv"
