"""A script body under the main guard runs at module level, not inside a function."""

RESULTS = []


def evaluate(x):
    return x * 2


if __name__ == "__main__":
    for x in range(3):
        RESULTS.append(evaluate(x))
    print(RESULTS)
