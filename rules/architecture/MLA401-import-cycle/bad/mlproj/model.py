from mlproj.train import fit


def build(frame, labels):
    return fit(frame, labels)


def predict(model, frame):
    return model.predict(frame)
