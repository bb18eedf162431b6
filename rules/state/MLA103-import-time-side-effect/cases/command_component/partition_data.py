"""A pipeline component's command script (`python partition_data.py --data_source ...`): no main guard,
imported by nothing, the command line parsed at module level, the data read inline and handed with the
parsed values to its helper. Its module level is its body: a pure script, whose import is its run."""

import argparse
import os

import pandas as pd


def dump_partitions(input_df, target_path, partition_cols=()):
    os.makedirs(target_path, exist_ok=True)
    for key, part in input_df.groupby(list(partition_cols)):
        part.to_csv(os.path.join(target_path, f"{key}.csv"), index=False)


parser = argparse.ArgumentParser()
parser.add_argument("--data_source", type=str)
parser.add_argument("--partition_keys", type=str)
parser.add_argument("--tabular_output_data", type=str)
args, _ = parser.parse_known_args()

try:
    input_df = pd.read_csv(args.data_source)
except OSError as error:
    raise SystemExit(f"can not load {args.data_source}: {error}") from error

partition_cols = args.partition_keys.split(",")
dump_partitions(input_df=input_df, target_path=args.tabular_output_data, partition_cols=partition_cols)
