"""A CI or ops helper that imports no data, model or serialisation library is not ML code: the files it
names are its contract with the workflow that runs it."""

import json

with open("creds.txt") as f:
    data = json.loads(f.read())

with open("test.json", "w") as f:
    json.dump(data, f)
