"""Answer checkers of a course: one module per exercise, each imported by its exercise notebook."""
