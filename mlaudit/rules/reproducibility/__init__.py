"""Family 7: data contracts and reproducibility (MLA701-MLA704)."""
