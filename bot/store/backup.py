"""Backups of the database: a consistent copy of a SQLite file taken while the bot runs,
and, for PostgreSQL, the `pg_dump` command that does the same (its own tool does it best).
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from bot.store.db import normalise_url

PAGES_PER_STEP = 1_024  # copied between pauses, so the running bot can write meanwhile


class BackupError(Exception):
    """Why a backup was not made, in words for the person running it."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    articles: int
    kudos: int


def backup_file(target: Path, *, now: dt.datetime) -> Path:
    """Where to write: `target` itself, or a dated file inside it when it is a folder."""
    if target.is_dir():
        return target / f"deskmate-{now:%Y%m%d-%H%M%S}.db"
    return target


def backup_sqlite(url: str | URL, target: Path, *, now: dt.datetime) -> Backup:
    """Copy the SQLite database at `url` to `target` with SQLite's online backup, which
    reads a consistent snapshot while other connections carry on writing. The copy is
    written beside the target and renamed into place only once it is whole and checked,
    so a file at `target` is always a complete backup."""
    url = normalise_url(url)
    source = Path(url.database or "")
    if url.get_backend_name() != "sqlite":
        raise BackupError("not a SQLite database")
    if url.database in (None, "", ":memory:"):
        raise BackupError("the database is in memory: there is no file to back up")
    if not source.is_file():
        raise BackupError(f"there is no database file at {source}")
    path = backup_file(target, now=now)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new name or a folder")
    if not path.parent.is_dir():
        raise BackupError(f"there is no folder {path.parent}")
    if path.resolve() == source.resolve():
        raise BackupError("the backup cannot be the database itself")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with _connect(source) as reader, _connect(partial) as writer:
            reader.backup(writer, pages=PAGES_PER_STEP)
            writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            checked = writer.execute("PRAGMA integrity_check").fetchone()[0]
            if checked != "ok":
                raise BackupError(f"the copy failed SQLite's integrity check: {checked}")
            articles = _count(writer, "article")
            kudos = _count(writer, "kudos")
        os.replace(partial, path)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {source}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=path, size=path.stat().st_size, articles=articles, kudos=kudos)


def _connect(database: Path) -> closing[sqlite3.Connection]:
    # closing(): sqlite3's own context manager only commits, leaving the file open.
    return closing(sqlite3.connect(database))


def _count(connection: sqlite3.Connection, table: str) -> int:
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:  # a database from before that table
        return 0


def pg_dump_command(url: str | URL, target: Path, *, now: dt.datetime) -> str:
    """The `pg_dump` command that backs up the PostgreSQL database at `url` to `target`
    (a dated file inside it when it is a folder), with no password in it: pg_dump takes
    that from PGPASSWORD or ~/.pgpass."""
    url = normalise_url(url)
    path = target / f"deskmate-{now:%Y%m%d-%H%M%S}.dump" if target.is_dir() else target
    connection = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=True)
    return shlex.join(["pg_dump", "--format=custom", f"--file={path}", connection])
