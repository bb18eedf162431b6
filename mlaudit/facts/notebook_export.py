"""A notebook saved as ``.py``: the text of ``jupyter nbconvert --to script``, a jupytext percent or light
script, or a notebook exported by an editor. It is notebook code (rules.md, "Scripts": a pure script such
as "a notebook saved as ``.py``"), so the configuration rules treat it as they treat the notebook: an
experiment. Recognised from the text alone (pure, no file-system access):

* two or more ``# In[ ]:`` / ``# In[3]:`` cell markers (nbconvert);
* two or more ``# %%`` cell markers (jupytext percent format, VS Code, Spyder, sphinx-gallery);
* a jupytext header (``# ---`` then ``# jupyter:``);
* a Databricks notebook source (first line ``# Databricks notebook source``, ``engine.source``);
* three or more markdown headings turned into comments (``# # Title``, ``# ## Section``: nbconvert
  without cell markers), in a file with no main guard;
* a sphinx-gallery example: the file opens with a docstring whose title has a reST overline
  (the title between two lines of ``=``), which the gallery renders as a notebook.
"""

from __future__ import annotations

import re

from mlaudit.engine.source import is_databricks_source

_IN_MARKER = re.compile(r"^# In\[[ 0-9]*\]:", re.MULTILINE)
_PERCENT = re.compile(r"^# %%", re.MULTILINE)
_JUPYTEXT = re.compile(r"^# ---\s*\n# jupyter:", re.MULTILINE)
_MD_HEADING = re.compile(r"^# #{1,6} \S", re.MULTILINE)
_GALLERY_TITLE = re.compile(r'\A(?:#[^\n]*\n|\s)*[rR]?("""|\'\'\')\s*\n?={3,}\s*\n[^\n]+\n={3,}\s*\n')
_MAIN_GUARD = re.compile(r"^if __name__ == ['\"]__main__['\"]", re.MULTILINE)


def is_notebook_export(text: str) -> bool:
    if len(_IN_MARKER.findall(text)) >= 2 or len(_PERCENT.findall(text)) >= 2 or _JUPYTEXT.search(text):
        return True
    if _GALLERY_TITLE.match(text) or is_databricks_source(text):
        return True
    return len(_MD_HEADING.findall(text)) >= 3 and not _MAIN_GUARD.search(text)
