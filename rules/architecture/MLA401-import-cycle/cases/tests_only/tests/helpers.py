from tests.test_orders import ORDER


def make_order():
    return dict(ORDER)
