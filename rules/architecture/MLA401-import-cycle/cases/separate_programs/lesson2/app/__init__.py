"""The lesson's app."""
