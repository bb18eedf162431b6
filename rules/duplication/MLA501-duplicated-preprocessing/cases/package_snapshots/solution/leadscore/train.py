from sklearn.linear_model import LogisticRegression

from leadscore.data.clean import preprocess


def train(frame):
    data = preprocess(frame)
    return LogisticRegression().fit(data[["sessions", "is_paid"]], data["converted"])
