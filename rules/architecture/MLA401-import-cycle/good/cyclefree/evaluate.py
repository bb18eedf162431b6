from cyclefree.model import predict


def accuracy(model, frame, labels):
    return float((predict(model, frame) == labels).mean())
