from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shop.customers import Customer


def owner(order: dict, customers: dict[str, Customer]) -> Customer:
    return customers[order["customer"]]
