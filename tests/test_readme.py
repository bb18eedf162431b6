"""The README's promises: its rule table is generated from the registry, and its two set-up commands
are exactly what CI runs."""

from __future__ import annotations

import re

from mlaudit import api, catalogue
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_current() -> None:
    block = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", README, re.S)
    assert block is not None
    expected = catalogue.markdown_table(api.registry(plugins=False).rules)
    assert block.group(1) == expected, (
        "README rule table is stale: run `python scripts/new_rule.py --sync-readme`"
    )


def test_setup_commands_are_the_ones_ci_runs() -> None:
    setup = re.search(r"## Set up \(two commands\).*?```bash\n(.*?)```", README, re.S)
    assert setup is not None
    commands = [line for line in setup.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci, f"CI does not run the README command: {command}"
    assert "mlaudit check" in commands[0]
