"""A benchmark script nothing imports: its module state lives exactly as long as its one run.

A callback collects readings in a module-level list that the main block prints: the script's own run
state, like the locals of `main`. Imported by a module or a test, the file would be a module and the
list would be reported (it would grow with every call).
"""

import time

readings = []


class RecordMemory:
    def on_batch_end(self, net, **kwargs):
        readings.append((time.time(), net.memory_allocated()))


def train(net, X, y):
    net.callbacks.append(RecordMemory())
    return net.fit(X, y)


if __name__ == "__main__":
    from skorch.toy import make_classifier

    train(make_classifier(), None, None)
    print(readings[0], readings[-1])
