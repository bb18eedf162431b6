"""A local named `os` or `environ` is not the module."""


def describe(environ, os):
    return environ["PATH"], os.getenv("HOME")
