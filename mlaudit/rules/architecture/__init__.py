"""architecture rules."""
