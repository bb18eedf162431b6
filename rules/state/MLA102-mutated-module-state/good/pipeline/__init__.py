"""The same pipeline with its state owned by objects and passed in explicitly."""
