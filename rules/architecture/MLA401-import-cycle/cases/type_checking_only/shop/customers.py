from shop.orders import owner


class Customer:
    def first_order_owner(self, order, customers):
        return owner(order, customers)
