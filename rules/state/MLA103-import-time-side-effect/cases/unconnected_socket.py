"""A config module that allocates a socket and reads the host name: ``socket.socket(...)`` only creates an
unconnected socket object (``connect``/``sendto`` would talk to the network) and ``gethostname`` is local,
so importing it does no I/O."""
import socket

sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
hostname = socket.gethostname()

RESULT_DIR = "/data/result"
IMG_SIZE = 1024
