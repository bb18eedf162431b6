"""Framework stages receive their inputs as fresh copies (rules.md v2, "Frameworks"): a ZenML step's and a
Prefect task's arguments are materialised for the call; a function passed to Hugging Face `Dataset.map`
gets a batch built for the call and returns the batch it edits; an entry point orchestrates."""

import click
from prefect import task
from zenml import step


@step
def clean_data(df):
    df["price"] = df["price"].clip(lower=0)
    return df


@task
def transform_rows(df):
    df.dropna(inplace=True)
    return df


def preprocess_function(examples):
    examples["labels"] = examples["label"]
    return examples


def tokenize_dataset(ds):
    return ds.map(preprocess_function, batched=True)


@click.command()
def preprocess(frame=None):
    frame.columns = [c.lower() for c in frame.columns]
