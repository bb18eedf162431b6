"""complexity rules."""
