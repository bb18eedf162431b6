"""A features-layer module: every function here is a transform."""

from pathlib import Path

from pandas import read_parquet as rp

from pkg import lookups

from .lookups import load_mcc_table


def add_merchant_category(df, mcc_path):
    table = load_mcc_table(mcc_path)  # expect: MLA201
    return df.merge(table, on="mcc")


def add_country(df, lookup_dir):
    countries = lookups.load_mcc_table(lookup_dir)  # expect: MLA201
    return df.merge(countries, on="country")


def add_history(df, history_path):
    history = rp(history_path)  # expect: MLA201
    return df.merge(history, on="user_id")


def add_stopwords(df, stopwords_file):
    words = set(Path(stopwords_file).read_text().split())  # expect: MLA201
    return df.assign(is_stopword=df.token.isin(words))


def summarise(df, out_path):
    summary = df.describe()
    summary.to_csv(out_path)  # expect: MLA201
    return summary


def add_vocabulary(df, vocab_path):
    def lookup(token):
        with open(vocab_path) as fh:  # expect: MLA201
            return token in fh.read()

    return df.assign(known=df.token.map(lookup))
