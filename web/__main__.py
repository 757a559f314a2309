"""Command line for accounts and publishing: ``python -m web <command>``.

- ``users add NAME [--role admin|analyst|viewer]``: create a user (the first admin, say); the password
  is asked for twice (or read from standard input with ``--password-stdin``).
- ``users list``; ``users set-role NAME ROLE``; ``users disable NAME``; ``users password NAME``.
- ``publish DIR --note TEXT [--by NAME]``: publish a data folder as the next version, after the same
  checks as the Publish page (valid, and every page, slide and export draws).
- ``audit [--limit N]``: the latest audit log entries.

The database is SPR_DATABASE_URL, else SQLite in SPR_STATE_DIR; run ``python -m data migrate`` first
(``make run`` does).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from settings import ROLES, configure_logging, get_settings

CLI = "command line"


def _backend():
    from web.backend import Backend

    return Backend.open(get_settings())


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    try:
        first = getpass.getpass("Password (at least 12 characters): ")
        again = getpass.getpass("The same password again: ")
    except (EOFError, OSError):  # no terminal to ask at (a script, a pipe)
        raise SystemExit(
            "There is no terminal to ask for the password; nothing was changed. Give it on standard input "
            "instead: add --password-stdin, for example: printf '%s\\n' \"$PASSWORD\" | ... --password-stdin"
        ) from None
    if again != first:
        raise SystemExit("The two passwords differ; nothing was changed.")
    return first


def users(args) -> int:
    from web.accounts import AccountError

    svc = _backend()
    try:
        if args.action == "add":
            user = svc.accounts.add(args.name, _password(args), args.role, CLI)
            print(f"Added {user.username} as {user.role}.")
        elif args.action == "list":
            for u in svc.accounts.listing():
                state = "disabled" if u.disabled else "active"
                print(f"{u.username:<30} {u.role:<8} {state}{' (identity provider)' if u.from_proxy else ''}")
        elif args.action == "set-role":
            svc.accounts.set_role(args.name, args.role, CLI)
            print(f"{args.name} is now {args.role}.")
        elif args.action == "disable":
            svc.accounts.set_disabled(args.name, True, CLI)
            print(f"{args.name} is disabled.")
        elif args.action == "password":
            svc.accounts.set_password(args.name, _password(args), CLI)
            print(f"{args.name}'s password is changed.")
    except AccountError as err:
        print(str(err), file=sys.stderr)
        return 1
    return 0


def publish(args) -> int:
    """Check a folder as the Publish page does, then publish it over the current version."""
    import app
    from data.loader import load_store
    from data.validation import DataError
    from data.versions import PublishConflict
    from web.backend import backend

    configure_logging("WARNING")
    folder = Path(args.directory)
    dash_app = app.create_app(warm=False)
    with dash_app.server.app_context():
        base = backend().versions.latest()  # before the checks: a publish meanwhile is a conflict, not undone
    try:
        store = load_store(folder)
    except DataError as err:
        print(f"Data in {folder} is NOT valid; nothing was published.\n{err.report()}", file=sys.stderr)
        return 1
    with dash_app.server.app_context():
        svc = backend()
        problems = app.drawing_problems_everywhere(dash_app, store)
        if problems:
            print(
                "These cannot be drawn from the folder; nothing was published:\n" + "\n".join(problems), file=sys.stderr
            )
            return 1
        from data.files import FolderFiles

        try:
            version = svc.versions.publish(FolderFiles(folder).read_all(), args.by, args.note, base)
        except PublishConflict as err:
            print(str(err), file=sys.stderr)
            return 1
        svc.accounts.record(args.by, "publish", f"version {version.number} from {folder} ({CLI})")
    print(f"Published version {version.number}: {', '.join(version.changed) or 'no files changed'}.")
    return 0


def audit(args) -> int:
    for e in _backend().accounts.log_entries(args.limit):
        print(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<20} {e.action:<16} {e.detail}  {e.address}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m web", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    u = sub.add_parser("users", help="add, list and change users")
    u.add_argument("action", choices=["add", "list", "set-role", "disable", "password"])
    u.add_argument("name", nargs="?", default="")
    u.add_argument("role", nargs="?", choices=ROLES, default=None, help="for set-role")
    u.add_argument("--role", dest="role_option", choices=ROLES, default="viewer", help="for add (default viewer)")
    u.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p = sub.add_parser("publish", help="publish a data folder as the next version")
    p.add_argument("directory")
    p.add_argument("--note", required=True, help="what this version changes, and why")
    p.add_argument("--by", default=getpass.getuser(), help="who publishes it (default: your login name)")
    a = sub.add_parser("audit", help="the latest audit log entries")
    a.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)
    if args.command == "users":
        if args.action != "list" and not args.name:
            parser.error("name the user")
        if args.action == "add":
            args.role = args.role or args.role_option
        elif args.action == "set-role" and args.role is None:
            parser.error("name the role")
        return users(args)
    if args.command == "publish":
        return publish(args)
    return audit(args)


if __name__ == "__main__":
    sys.exit(main())
