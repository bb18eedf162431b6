"""The console script (`trainkit-cli = trainkit.cli:main`) dispatches to the launcher."""

from trainkit import launcher


def main() -> None:
    launcher.launch()
