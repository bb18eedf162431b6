class MLP:
    def fit(self, task):
        return task
