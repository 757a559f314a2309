"""Command line for the data: ``python -m data <command>``.

- ``validate [DIR]``: check a data folder (default SPR_DATA_DIR) before it is published. Exit status 0
  when valid (warnings are printed), 1 when not.
- ``migrate``: bring the database's tables up to date (``make run`` does this first).
- ``versions``: list the published versions.
- ``export DIR [--version N]``: write a published version (default the current one) back out as the
  same CSV files, byte for byte.

The database is SPR_DATABASE_URL, else SQLite in SPR_STATE_DIR. Publishing is ``python -m web publish``
(it draws every page first) or the Publish page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.loader import load_store
from data.validation import DataError, format_report


def _settings():
    from settings import get_settings

    return get_settings()


def _versions(migrate_first: bool = True):
    from data.database import engine_for, migrate
    from data.versions import Versions

    settings = _settings()
    if not settings.database_url:
        settings.state_dir.mkdir(parents=True, exist_ok=True)
    engine = engine_for(settings.database)
    if migrate_first:
        migrate(engine)
    return Versions(engine)


def validate(directory: Path) -> int:
    try:
        store = load_store(directory)
    except DataError as err:
        print(f"Data in {directory} is NOT valid.\n{err.report()}", file=sys.stderr)
        return 1
    if store.warnings:
        print(format_report(list(store.warnings)), file=sys.stderr)
    print(f"Data in {directory} is valid: {len(store.frame)} rows in {len(store.names)} datasets.")
    return 0


def export(directory: Path, number: int | None) -> int:
    versions = _versions()
    number = number if number is not None else versions.latest()
    files = versions.files(number) if number is not None else {}
    if not files:
        print(f"There is no version {number}." if number else "Nothing is published yet.", file=sys.stderr)
        return 1
    directory.mkdir(parents=True, exist_ok=True)
    stale = sorted(p.name for p in directory.glob("*.csv") if p.name not in files)
    if stale:
        print(
            f"{directory} already holds other CSV files ({', '.join(stale)}); choose an empty folder.", file=sys.stderr
        )
        return 1
    for name, content in sorted(files.items()):
        (directory / name).write_bytes(content)
    print(f"Wrote version {number} to {directory}: {len(files)} files.")
    return 0


def list_versions() -> int:
    versions = _versions()
    listing = versions.listing()
    if not listing:
        print("Nothing is published yet.")
    for v in listing:
        shown = "; ".join(f"presented {p.presented_on}" for p in v.presentations)
        again = f" (republishes version {v.republished_from})" if v.republished_from else ""
        print(f"{v.number:>4}  {v.published_at:%Y-%m-%d %H:%M} UTC  {v.published_by}{again}: {v.note}")
        print(f"      changed: {', '.join(v.changed) or 'nothing'}" + (f"; {shown}" if shown else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check every file in a data folder")
    check.add_argument(
        "directory", nargs="?", help="folder with datasets.csv and the dataset files (default: SPR_DATA_DIR)"
    )
    sub.add_parser("migrate", help="bring the database's tables up to date")
    sub.add_parser("versions", help="list the published versions")
    out = sub.add_parser("export", help="write a published version out as CSV files")
    out.add_argument("directory", help="an empty folder (made if missing)")
    out.add_argument("--version", type=int, default=None, help="the version (default: the current one)")
    args = parser.parse_args(argv)

    if args.command == "validate":
        return validate(Path(args.directory) if args.directory else _settings().data_dir)
    if args.command == "migrate":
        from data.database import schema_revision

        versions = _versions()
        print(f"The database is up to date (schema {schema_revision(versions.engine)}).")
        return 0
    if args.command == "versions":
        return list_versions()
    return export(Path(args.directory), args.version)


if __name__ == "__main__":
    sys.exit(main())
