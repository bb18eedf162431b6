from mlproj.model import predict  # expect: MLA401


def accuracy(model, frame, labels):
    return float((predict(model, frame) == labels).mean())
