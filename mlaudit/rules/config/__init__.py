"""config rules."""
