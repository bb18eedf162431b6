"""A live demo: the functions the script hands to libraries as callbacks keep their state in globals.

`sounddevice.InputStream(callback=...)` and `FuncAnimation(fig, ...)` fix the callbacks' signatures (no
state in, no value out) and the script registers them in its own run: quiet.
"""

import matplotlib.pyplot as plt
import numpy as np
import sounddevice
from matplotlib.animation import FuncAnimation

PREV_SIGNAL = np.zeros(16000, dtype=np.float32)
SPEC_LST = [np.zeros((64, 64), dtype=np.float32)] * 4


def audio_callback(indata, frames, time, status):
    global PREV_SIGNAL
    global SPEC_LST
    signal = np.concatenate([PREV_SIGNAL, indata.ravel()])
    PREV_SIGNAL = indata.ravel()
    SPEC_LST = SPEC_LST[1:] + [signal[-64:]]


def update_plot(frame):
    global SPEC_LST
    SPEC_LST = SPEC_LST[-4:]
    return [plt.imshow(np.concatenate(SPEC_LST, axis=1))]


if __name__ == "__main__":
    fig = plt.figure()
    stream = sounddevice.InputStream(callback=audio_callback, channels=1)
    animation = FuncAnimation(fig, update_plot, interval=1000)
    with stream:
        plt.show()
