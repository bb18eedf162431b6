"""The import inside the function runs only when it is called, after both modules are initialised."""


def owner(order, customers):
    from shop.customers import lookup

    return lookup(customers, order["customer"])
