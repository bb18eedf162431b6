"""The worker service (see web/)."""

import os

import redis

QUEUE = os.environ.get("IMAGE_QUEUE", "images")
db = redis.StrictRedis(host=os.environ.get("REDIS_HOST", "localhost"))


def dequeue() -> bytes | None:
    return db.lpop(QUEUE)
