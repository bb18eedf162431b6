from models import mlp


class Exp_Basic:
    def __init__(self, args):
        self.args = args
        self.model = mlp.MLP()

    def train(self):
        raise NotImplementedError
