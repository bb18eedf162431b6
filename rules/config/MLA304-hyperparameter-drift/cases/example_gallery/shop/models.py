class Ranker:
    def __init__(self, n_estimators: int = 100) -> None:
        self.n_estimators = n_estimators
