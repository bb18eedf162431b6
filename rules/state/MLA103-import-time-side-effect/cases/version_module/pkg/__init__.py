from pkg._version import __version__
