from exp.exp_basic import Exp_Basic


class Exp_Classification(Exp_Basic):
    def train(self):
        return self.model.fit("classification")
