"""duplication rules."""
