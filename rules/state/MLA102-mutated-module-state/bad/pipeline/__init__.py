"""A feature pipeline whose modules share mutable module-level state."""
