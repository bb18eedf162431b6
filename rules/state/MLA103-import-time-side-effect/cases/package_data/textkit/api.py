from .tokenizer import SimpleTokenizer

_tokenizer = SimpleTokenizer()


def tokenize(texts):
    return [_tokenizer.encode(t) for t in texts]
