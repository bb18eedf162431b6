"""state rules."""
