"""`deskmate db ...`: the database commands of the command line (bot.cli wires them in)."""

from __future__ import annotations

import argparse
import sys

from bot import db
from bot.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    database = commands.add_parser("db", help="look after the database")
    db_commands = database.add_subparsers(dest="db_command", metavar="COMMAND")
    db_commands.add_parser(
        "upgrade",
        help="bring the database schema up to date (deskmate also does this when it starts)",
        description="Apply every migration the database has not had yet. A database made "
        "before Deskmate had migrations is recognised and recorded as the first revision.",
    )
    database.set_defaults(db_parser=database)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.db_command is None:
        args.db_parser.print_help(sys.stderr)
        return 2
    engine = db.make_engine(settings.database.url)
    try:
        revision = db.upgrade(engine)
    finally:
        engine.dispose()
    print(f"database schema at revision {revision} (the newest)")
    return 0
