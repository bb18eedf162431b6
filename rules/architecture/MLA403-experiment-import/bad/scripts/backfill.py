"""A one-off label backfill."""


def backfill_labels(frame):
    return frame.fillna({"converted": 0})


if __name__ == "__main__":
    print("run me once")
