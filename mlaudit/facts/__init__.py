"""Per-file fact extraction: plain picklable data for whole-project analyses."""
