"""The database a test run uses: SQLite files by default, or the PostgreSQL server named by
TEST_DATABASE_URL, for the whole run. CI runs the suite once each way.

Each database is new and empty: a SQLite file in a temporary folder, or a PostgreSQL
schema of its own whose name travels in the URL (`options=-csearch_path=...`), so a
`deskmate` subprocess given the URL lands in the same schema as the test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.store import db

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKEND = "postgresql" if SERVER_URL else "sqlite"


@contextmanager
def new_database(folder: Path, name: str = "deskmate") -> Iterator[str]:
    """The URL of a new, empty database for this run's backend; removed on leaving
    (a SQLite file goes with its temporary folder)."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    schema = f"deskmate_test_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(SERVER_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = db.normalise_url(SERVER_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def make_old_schema(engine: Engine) -> None:
    """The tables as a Deskmate from before migrations made them (the first revision's
    schema, which `create_all` gave), with no `alembic_version` to say so."""
    config = db.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, db.FIRST_REVISION)
        connection.execute(text("DROP TABLE alembic_version"))


@contextmanager
def migrated_engine(folder: Path, name: str = "deskmate") -> Iterator[Engine]:
    """An engine on a new database brought up to the newest schema by the migrations, the
    product's own path."""
    with new_database(folder, name) as url:
        engine = db.make_engine(url)
        try:
            db.upgrade(engine)
            yield engine
        finally:
            engine.dispose()
