"""Comments, blank lines and a long docstring do not count: only logical lines do."""


def describe(frame):
    """Summarise a frame.

    This docstring is long on purpose.
    It spans many physical lines,
    but it is one logical line of the function,
    like the signature below is one more.
    """
    # counts
    rows = len(frame)

    # columns
    columns = list(frame.columns)
    return {
        "rows": rows,
        "columns": columns,
        "numeric": [c for c in columns if frame[c].dtype.kind in "if"],
        "empty": [c for c in columns if frame[c].isna().all()],
    }
