"""Production code may import generated modules (they are experiments for every other rule)."""

from pkg import scoring_pb2


def descriptor():
    return scoring_pb2.DESCRIPTOR
