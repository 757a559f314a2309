"""Command line: ``python -m data validate [DIR]`` checks a data folder before it is published.

Exit status 0 when the folder is valid (warnings are printed), 1 when it is not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.loader import load_store
from data.validation import DataError, format_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check every file in a data folder")
    check.add_argument(
        "directory",
        nargs="?",
        help="folder with datasets.csv and the dataset files (default: SPR_DATA_DIR)",
    )
    args = parser.parse_args(argv)

    if args.directory is None:
        from settings import get_settings

        directory = get_settings().data_dir
    else:
        directory = Path(args.directory)
    try:
        store = load_store(directory)
    except DataError as err:
        print(f"Data in {directory} is NOT valid.\n{err.report()}", file=sys.stderr)
        return 1
    if store.warnings:
        print(format_report(list(store.warnings)), file=sys.stderr)
    print(f"Data in {directory} is valid: {len(store.frame)} rows in {len(store.names)} datasets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
