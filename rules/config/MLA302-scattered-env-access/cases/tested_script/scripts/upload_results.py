"""A script reads its one API key in its `main`; its test imports a helper from it. A test importing a
script does not make it a library module: the script is still what runs, and `main` its entry point."""

import argparse
import os


def sanitize(name: str) -> str:
    return name.replace("/", "__")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    args = parser.parse_args()
    token = os.environ["RESULTS_API_KEY"]
    print(sanitize(args.project), bool(token))


if __name__ == "__main__":
    main()
