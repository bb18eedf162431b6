"""A function whose name says it gathers a service's credentials (`get_watsonx_credentials`, `load_secrets`)
is the one place they are read: a configuration function."""

import os


def get_watsonx_credentials() -> dict[str, str | None]:
    return {
        "apikey": os.getenv("WATSONX_API_KEY"),
        "url": os.getenv("WATSONX_URL"),
        "project_id": os.getenv("WATSONX_PROJECT_ID"),
    }
