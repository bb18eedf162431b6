"""behave's hooks file: a BDD test suite lives in `features/`, which is not the features layer."""

import shutil
import subprocess
import tempfile


def before_scenario(context, scenario):
    context.tmp = tempfile.mkdtemp()
    subprocess.run(["pip", "install", "kedro"], check=True)


def after_all(context):
    shutil.rmtree(context.tmp)
