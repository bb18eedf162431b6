"""The checking machinery every exercise module uses."""


class EqualityCheckProblem:
    _var = ""
    _expected = None

    def check(self, value):
        assert value == self._expected, f"`{self._var}` is not the expected answer"
