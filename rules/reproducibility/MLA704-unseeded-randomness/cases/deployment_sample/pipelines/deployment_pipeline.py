import json

import requests

from .utils import get_data_for_test


def dynamic_importer(path):
    return get_data_for_test(path)


def predictor(url, path):
    payload = json.loads(dynamic_importer(path))
    return requests.post(url, json=payload, timeout=10).json()
