"""A byte-pair tokenizer whose vocabulary ships inside the package (like CLIP's)."""

import gzip
import json
import os
from functools import lru_cache
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "special_tokens.json")) as fh:
    SPECIAL_TOKENS = json.load(fh)
STOPWORDS = frozenset((Path(__file__).parent / "stopwords.txt").read_text().split())


@lru_cache()
def default_bpe():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "bpe_simple_vocab_16e6.txt.gz")


class SimpleTokenizer:
    def __init__(self, bpe_path: str = default_bpe()):
        merges = gzip.open(bpe_path).read().decode("utf-8").split("\n")
        self.ranks = {tuple(m.split()): i for i, m in enumerate(merges[1:49152 - 256 - 2 + 1])}

    def encode(self, text):
        return [self.ranks.get(tuple(w), 0) for w in text.lower().split() if w not in STOPWORDS]
