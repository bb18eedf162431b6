from cyclefree.evaluate import accuracy
from cyclefree.model import describe


class Trainer:
    name = "logistic"

    def fit(self, frame, labels):
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression().fit(frame, labels)
        print(describe(self), "train accuracy", accuracy(model, frame, labels))
        return model
