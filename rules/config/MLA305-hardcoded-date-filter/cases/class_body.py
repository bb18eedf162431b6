"""A date window evaluated in a class body: the expected answer of a course exercise's checker, computed
once when the class is defined from the course's fixed data set. A fixed value, not a retraining step."""

import pandas as pd


def load_holidays_events():
    return pd.read_csv("holidays_events.csv", parse_dates=["date"], index_col="date")


class EqualityCheckProblem:
    def check(self, *values):
        return all((v == e).all() for v, e in zip(values, self._expected))


class HolidayFeatures(EqualityCheckProblem):
    holidays_events = load_holidays_events()
    holidays = holidays_events.query("locale in ['National', 'Regional']").loc["2017":"2017-08-15", ["description"]]
    X_holidays = pd.get_dummies(holidays).to_numpy()

    _vars = ["X_holidays"]
    _expected = [X_holidays]
