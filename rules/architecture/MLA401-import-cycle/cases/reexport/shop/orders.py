from shop import money


def total(prices: list[float]) -> str:
    return money(sum(prices))
