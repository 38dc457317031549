"""``hubguide staff add-user NAME --role admin|editor|reviewer [--org ID ...]`` (the password is
read from standard input, never from the command line) and ``hubguide staff list-users``."""

from __future__ import annotations

import argparse
import getpass
import sys

from knowledge.languages import SUPPORTED
from staff import i18n
from staff.accounts import ROLES, AccountError


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise AccountError("account_password_mismatch")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _engine(args):
    from knowledge import migrate
    from knowledge.db import make_engine

    engine = make_engine(args.database_url)
    migrate.upgrade(engine)
    return engine


def cmd_add_user(args) -> int:
    from staff import accounts

    try:
        password = _password()
        with _engine(args).begin() as conn:
            user = accounts.add_user(
                conn, args.name, args.role, password, args.org or [], args.language
            )
    except AccountError as exc:
        print(f"error: {i18n.text('en', exc.key, **exc.params)}", file=sys.stderr)
        return 1
    scope = f" for {', '.join(user.orgs)}" if user.orgs else ""
    print(f"added {user.role} {user.name}{scope}")
    return 0


def cmd_list_users(args) -> int:
    from staff import accounts

    with _engine(args).connect() as conn:
        for user in accounts.all_users(conn):
            print(f"{user.name:<24} {user.role:<9} {' '.join(user.orgs)}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    staff = sub.add_parser("staff", help="staff workspace accounts")
    staff.add_argument("--database-url", help="SQLAlchemy URL (default: $HUBGUIDE_DATABASE_URL)")
    cmds = staff.add_subparsers(dest="staff_command", required=True)
    p = cmds.add_parser("add-user", help="add an account; the password is read from stdin")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument(
        "--org", action="append", help="an organisation id an editor may edit (repeatable)"
    )
    p.add_argument("--language", choices=SUPPORTED, default="en", help="workspace language")
    p.set_defaults(func=cmd_add_user)
    p = cmds.add_parser("list-users", help="list the accounts")
    p.set_defaults(func=cmd_list_users)
    return staff
