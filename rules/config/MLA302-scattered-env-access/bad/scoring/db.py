"""The database settings, read here..."""

import os

import sqlalchemy

DB_URL = os.environ["DB_URL"]
DB_POOL_SIZE = int(os.getenv("DB_POOL_SIZE", "5"))

engine = sqlalchemy.create_engine(DB_URL, pool_size=DB_POOL_SIZE)
