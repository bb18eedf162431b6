from sklearn.ensemble import RandomForestClassifier

model = RandomForestClassifier().fit([[0], [1]], [0, 1])
