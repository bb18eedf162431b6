from layered.data import load
from layered.model import predict


class Run:
    name = "baseline"

    def evaluate(self, model, source):
        frame, labels = load(source)
        return float((predict(model, frame) == labels).mean())
