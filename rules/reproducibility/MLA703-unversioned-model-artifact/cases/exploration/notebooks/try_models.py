import joblib
from sklearn.linear_model import LogisticRegression

clf = LogisticRegression().fit([[0], [1]], [0, 1])
joblib.dump(clf, "clf.joblib")
