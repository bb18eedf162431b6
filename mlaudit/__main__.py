import os
import sys

# `python -m mlaudit` puts the current directory first on sys.path, so an audited project's own
# `json.py` or `typer.py` would be imported, i.e. executed, in place of the real module. mlaudit never
# runs the code it audits (pylint drops this entry for the same reason). `os` and `sys` are loaded at
# interpreter start-up already, so importing them here cannot pick up a project's file.
if sys.path and sys.path[0] in ("", ".", os.getcwd()):
    sys.path.pop(0)

from mlaudit.cli import main

if __name__ == "__main__":
    main()
