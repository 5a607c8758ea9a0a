"""Staff web app commands:

    python -m staff serve                 the web app (ASSISTANT_STAFF_HOST, _PORT)
    python -m staff create-admin NAME     the first admin account; the password is read
                                          from the terminal (or one line of stdin with
                                          --password-stdin); there is no default password
    python -m staff create-account NAME --role editor|reviewer|admin [--password-stdin]

The database is ASSISTANT_DATABASE_URL, as for the bot (default: a SQLite file under var/)."""

import argparse
import getpass
import logging
import os
import sys
from typing import List, Optional, Text

from knowledge.db import make_engine, session_factory, upgrade
from knowledge.models import ADMIN, ROLES
from knowledge.settings import load_settings
from staff.accounts import AccountError, create_account


def read_password(from_stdin: bool) -> Text:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Again: ") != first:
        raise AccountError("The two passwords differ.")
    return first


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m staff",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve")
    serve.add_argument("--host", default=os.environ.get("ASSISTANT_STAFF_HOST", "127.0.0.1"))
    serve.add_argument(
        "--port", type=int, default=int(os.environ.get("ASSISTANT_STAFF_PORT", "5080"))
    )
    for name in ("create-admin", "create-account"):
        command = commands.add_parser(name)
        command.add_argument("username")
        command.add_argument("--display-name", default="")
        command.add_argument("--password-stdin", action="store_true")
        if name == "create-account":
            command.add_argument("--role", choices=ROLES, required=True)
    args = parser.parse_args(argv)
    settings = load_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    if args.command == "serve":
        engine.dispose()
        from staff.app import create_app

        logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
        print(f"Staff web app on http://{args.host}:{args.port}/", flush=True)
        create_app().run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)
        return 0
    role = ADMIN if args.command == "create-admin" else args.role
    try:
        staff = create_account(
            session_factory(engine),
            args.username,
            read_password(args.password_stdin),
            role,
            args.display_name,
        )
    except AccountError as refused:
        print(f"Not created: {refused}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Created {staff.role} account {staff.username!r}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
