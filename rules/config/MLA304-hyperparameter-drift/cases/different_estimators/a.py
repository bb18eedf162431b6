from sklearn.linear_model import LogisticRegression

model = LogisticRegression(C=1.5)
