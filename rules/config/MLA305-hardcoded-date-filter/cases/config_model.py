"""A validator of a config model compares a configured date with a literal bound: not a data filter."""
from datetime import date

from pydantic import BaseModel, field_validator


class WindowConfig(BaseModel):
    start: date

    @field_validator("start")
    @classmethod
    def not_before_launch(cls, value):
        if value < date(2020, 1, 1):
            raise ValueError("the product launched in 2020")
        return value
