"""MLA303 helpers: literals that name no configurable data, and how sites group into causes.

* **Platform-fixed names**: a bare ``submission.csv`` / ``sample_submission.csv`` (in the working directory,
  or Kaggle's ``/kaggle/working/``) is the name a competition platform requires and supplies; there is
  nothing to configure. ``submissions/submission.csv`` is a chosen location and stays reported.
* **UI assets**: a picture shown by an app (``st.image(Image.open("_assets/overview.png"))``) is part of
  the interface, not data: files under ``assets/``, ``_assets/``, ``static/``, ``images/``, ``img/``,
  ``icons/``, and image files opened in a file that imports a UI or display package (Streamlit, Gradio,
  Dash, IPython.display, Tk, Qt), where they flow to the screen.
* **Scratch round trips**: a script that writes a file and reads the same literal back (``torch.save(net,
  "net.pkl")`` ... ``torch.load("net.pkl")``) uses the file as scratch space between its own steps.
* **Causes**: sites of one literal, and sites inside one function, are one cause (rules.md, "One finding
  per cause"): one finding at the first site, the others in ``related``.
"""

from __future__ import annotations

from collections.abc import Iterable

_PLATFORM_FIXED = frozenset({"submission.csv", "sample_submission.csv"})
ASSET_FOLDERS = frozenset({"assets", "_assets", "static", "images", "img", "icons"})
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".bmp")
UI_PACKAGES = frozenset(
    {"streamlit", "gradio", "dash", "IPython", "tkinter", "PyQt5", "PyQt6", "PySide2", "PySide6", "panel"}
)
WRITES = frozenset({"write"})
READS = frozenset({"read", "model-load"})


def _parts(text: str) -> list[str]:
    return [p for p in text.replace("\\", "/").split("/") if p not in ("", ".")]


def platform_fixed(text: str) -> bool:
    """``submission.csv``, ``./submission.csv``, ``/kaggle/working/submission.csv``: the name the competition
    platform fixes, where it fixes it."""
    parts = _parts(text)
    where = parts[:-1]
    return bool(parts) and parts[-1].lower() in _PLATFORM_FIXED and where in ([], ["kaggle", "working"])


def ui_asset(text: str, ui_file: bool) -> bool:
    """A file under an asset folder, or an image opened in a UI/display file (``ui_file``)."""
    parts = _parts(text)
    if any(p.lower() in ASSET_FOLDERS for p in parts[:-1]):
        return True
    return ui_file and bool(parts) and parts[-1].lower().endswith(IMAGE_EXTENSIONS)


def round_trip(kinds: set[str]) -> bool:
    """The literal is both written and read back in this file."""
    return bool(kinds & WRITES) and bool(kinds & READS)


def group_causes(sites: Iterable[tuple[str, str]]) -> list[list[int]]:
    """Sites as (literal, function qualname or "" at module level), grouped into causes: the same literal,
    or the same function. Returns lists of site indexes, each in input order, groups in order of their
    first site."""
    items = list(sites)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, (literal, scope) in enumerate(items):
        keys = [("literal", literal)] + ([("function", scope)] if scope else [])
        for key in keys:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])
