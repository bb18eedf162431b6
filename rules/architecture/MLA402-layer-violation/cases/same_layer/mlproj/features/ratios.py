def ratio(frame):
    return frame["a"] / frame["b"]
