from sklearn.ensemble import RandomForestClassifier


def test_forest_fits():
    model = RandomForestClassifier(n_estimators=5, max_depth=2)
    assert model.n_estimators == 5
