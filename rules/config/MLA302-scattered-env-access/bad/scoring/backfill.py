"""...and again in another module of the same program, with another default: one finding for both
modules, naming every variable they share."""

import os

from scoring.db import engine

DB_POOL_SIZE = int(os.getenv("DB_POOL_SIZE", "10"))  # expect: MLA302


def backfill(table):
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT * FROM {table}"), os.environ["DB_URL"]
