"""Project settings.

NOTE: most scripts still have their own copies of these values, see train.py / serve.py.
"""
import os

DATA_DIR = os.environ.get("LEADS_DATA_DIR", "/data/leads")
EVENTS_PATH = os.path.join(DATA_DIR, "events.csv")
USERS_PATH = os.path.join(DATA_DIR, "users.csv")
MODEL_PATH = os.environ.get("MODEL_PATH", "model.pkl")
WAREHOUSE_URL = os.environ.get("WAREHOUSE_URL", "sqlite:///warehouse.db")

TEST_SIZE = 0.2
RANDOM_STATE = 42
THRESHOLD = 0.35
