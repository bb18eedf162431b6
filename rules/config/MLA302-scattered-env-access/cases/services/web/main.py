"""Two services of one repository (see worker/) read the same variable: both are configured by the same
deployment file, and neither imports the other, so nothing is scattered."""

import os

import redis

QUEUE = os.environ.get("IMAGE_QUEUE", "images")
db = redis.StrictRedis(host=os.environ.get("REDIS_HOST", "localhost"))


def enqueue(image_id: str) -> None:
    db.rpush(QUEUE, image_id)
