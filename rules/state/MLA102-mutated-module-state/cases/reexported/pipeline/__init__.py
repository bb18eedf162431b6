from .constants import COLUMNS as COLUMNS
