"""Config models: pydantic models and settings, and classes named *Config/*Settings/*Params/*Hyperparameters."""

from dataclasses import dataclass

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings


class TrainingConfig(BaseModel):
    lr: float = 0.01
    batch_size: int = Field(32, gt=0)
    epochs: int = 10


class ServingSettings(BaseSettings):
    batch_size: int = 256


@dataclass
class SearchParams:
    max_depth: int = 6
    n_estimators: int = 500


class Hyperparameters:
    dropout = 0.1
