"""`exp/` is the short form of `experiments/`: one click script per competition experiment, whose command
swaps the experiment's params for a tuning file before the run."""

import json

import click

params = {"lr": 1e-3, "epochs": 10, "batch_size": 32}


@click.group()
def cli():
    pass


@cli.command()
@click.option("--tuning", type=click.Path(exists=True))
def job(tuning):
    global params
    if tuning:
        with open(tuning) as f:
            params = json.load(f)
    print(params)


if __name__ == "__main__":
    cli()
