"""Framework stages are units of work, not transforms: an ETL task's job may be to stage a file
(rules.md, "Frameworks"). The task is named `transform`, which alone would make it a transform."""

import boto3
import pandas as pd
from prefect import Flow, task


@task(name="Get S3 objects")
def get(bucket: str, key: str) -> pd.DataFrame:
    obj = boto3.client("s3").get_object(Bucket=bucket, Key=key)
    return pd.read_csv(obj["Body"])


@task(name="Transform S3 data")
def transform(s3_df: pd.DataFrame, output_file: str) -> str:
    s3_df.to_csv(f"{output_file}.csv", index=False)
    return output_file


with Flow("etl") as flow:
    frame = get("bucket", "key.csv")
    transform(frame, "staging")
