"""Generic linting machinery; knows no specific rule."""
