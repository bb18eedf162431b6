"""behave step implementations: test code."""

import subprocess

from behave import then, when


@when("I run the pipeline")
def run_kedro_pipeline(context):
    context.result = subprocess.run(["kedro", "run"], cwd=context.root, check=False)


@then("it succeeds")
def check_status(context):
    assert context.result.returncode == 0
