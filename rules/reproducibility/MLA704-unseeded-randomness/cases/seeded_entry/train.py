"""The entry point seeds numpy once; the split it reaches through the import is reproducible."""
import numpy as np

from pkg.split import split


def main():
    np.random.seed(42)
    return split([[0], [1], [2], [3]])


if __name__ == "__main__":
    main()
