"""rules.md scopes the rule to code outside def and class bodies: class bodies are not reported."""

import json


class Defaults:
    with open("defaults.json") as fh:
        values = json.load(fh)
