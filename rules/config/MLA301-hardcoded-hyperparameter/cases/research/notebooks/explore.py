from sklearn.ensemble import RandomForestClassifier

LEARNING_RATE = 0.1
model = RandomForestClassifier(n_estimators=50)
