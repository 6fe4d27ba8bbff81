"""`deskmate db ...` and `deskmate backup`: the database commands of the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.entry.cli.args import command_group

if TYPE_CHECKING:
    from bot.config.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    db_commands = command_group(commands, "db", help="look after the database")
    upgrade = db_commands.add_parser(
        "upgrade",
        help="bring the database schema up to date (deskmate also does this when it starts)",
        description="Apply every migration the database has not had yet. A database made "
        "before Deskmate had migrations is recognised and recorded as the first revision.",
    )
    upgrade.set_defaults(handler=upgrade_schema, needs_settings=True)
    copy = commands.add_parser(
        "backup",
        help="copy the database to PATH while the bot runs (PostgreSQL: print the pg_dump command)",
        description="SQLite: write a consistent copy of the database file to PATH (or a "
        "dated file inside PATH when it is a folder) while Deskmate keeps running; an "
        "existing file is never overwritten. PostgreSQL: print the pg_dump command that "
        "does the same (the password comes from PGPASSWORD or ~/.pgpass, never the command).",
    )
    copy.add_argument("path", metavar="PATH", type=Path, help="a new file, or a folder")
    copy.set_defaults(handler=run_backup, needs_settings=True)


def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.engine import make_url

    from bot.store import backup
    from bot.store.models import utcnow

    url = make_url(settings.database.url)
    if url.get_backend_name() != "sqlite":
        command = backup.pg_dump_command(url, args.path, now=utcnow().astimezone(settings.tz))
        print("PostgreSQL is best backed up by its own tool. Run:")
        print(f"  {command}")
        print("and restore with: pg_restore --clean --if-exists --dbname=DATABASE-URL FILE")
        return 0
    try:
        made = backup.backup_sqlite(url, args.path, now=utcnow().astimezone(settings.tz))
    except backup.BackupError as error:
        print(f"deskmate: no backup made: {error}", file=sys.stderr)
        return 1
    print(
        f"backed up to {made.path} ({made.size:,} bytes: {made.articles} articles, "
        f"{made.kudos} kudos)"
    )
    print(
        f"To restore: stop Deskmate, copy it over {Path(url.database).resolve()}, start Deskmate."
    )
    return 0


def upgrade_schema(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import db

    engine = db.make_engine(settings.database.url)
    try:
        revision = db.upgrade(engine)
    finally:
        engine.dispose()
    print(f"database schema at revision {revision} (the newest)")
    return 0
