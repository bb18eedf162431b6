"""A single-file worker (nothing imports it) that re-reads its settings on every iteration of its polling
loop: an entry point reads its settings once, at its start; these reads run again and again, far from the
settings the file reads at its top."""

import os
import time

import redis

db = redis.StrictRedis(host=os.environ.get("REDIS_HOST"))


def poll() -> None:
    while True:
        batch = db.lrange(os.environ.get("IMAGE_QUEUE"), 0, int(os.environ["BATCH_SIZE"]) - 1)  # expect: MLA302
        print(len(batch))
        time.sleep(float(os.environ.get("SERVER_SLEEP", "0.25")))


if __name__ == "__main__":
    poll()
