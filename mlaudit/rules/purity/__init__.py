"""purity rules."""
