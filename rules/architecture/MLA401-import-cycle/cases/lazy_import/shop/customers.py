from shop.orders import owner


def lookup(customers, key):
    return customers[key]


def owner_of(order, customers):
    return owner(order, customers)
