"""The environment is read once, by a settings model; code receives the values."""

import requests
from pydantic_settings import BaseSettings


class ScoringSettings(BaseSettings):
    scoring_url: str = "http://localhost:8000/score"
    scoring_token: str = ""
    scoring_timeout: float = 2.5


def fetch_scores(user_ids: list[int], settings: ScoringSettings) -> requests.Response:
    return requests.post(
        settings.scoring_url,
        json=user_ids,
        headers={"Authorization": settings.scoring_token},
        timeout=settings.scoring_timeout,
    )
