from tests.helpers import make_order

ORDER = {"customer": "c1"}


def test_order():
    assert make_order()["customer"] == "c1"
