from mlproj import evaluate


def fit(frame, labels):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit(frame, labels)
    print("train accuracy", evaluate.accuracy(model, frame, labels))
    return model
