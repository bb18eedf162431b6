def prepare(frame):
    from scripts.backfill import backfill_labels  # expect: MLA403

    return backfill_labels(frame)
