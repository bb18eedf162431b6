"""State lives in an object the caller creates and passes around."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class RunLog:
    calls_per_step: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)

    def log_step(self, step, rows):
        self.calls_per_step[step] += 1
        if rows == 0:
            self.warnings.append(f"{step} produced no rows")
