"""Whole-project analyses: pure functions over per-file facts (no libcst, no I/O)."""
