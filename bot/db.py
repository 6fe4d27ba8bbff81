"""The database engine and sessions: SQLite on one machine, PostgreSQL for several."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from bot import models  # noqa: F401  (registers the tables on SQLModel.metadata)

BUSY_TIMEOUT_MS = 5_000


def normalise_url(url: str | URL) -> URL:
    """Plain `postgres://` and `postgresql://` URLs use psycopg 3, the driver we ship;
    SQLAlchemy would otherwise look for psycopg2."""
    url = make_url(url)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def make_engine(url: str | URL, *, echo: bool = False, schema: str | None = None) -> Engine:
    """`schema` (PostgreSQL only) keeps the tables in a schema of their own, as tests do."""
    url = normalise_url(url)
    if url.get_backend_name() != "sqlite":
        connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
        return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args)
    # The bot answers from several threads (Bolt's listener pool, the scheduler).
    options: dict = {"connect_args": {"check_same_thread": False}}
    if url.database in (None, "", ":memory:"):
        # One shared connection, or each session would see its own empty database.
        options["poolclass"] = StaticPool
    engine = create_engine(url, echo=echo, **options)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets readers carry on while an import writes; busy_timeout makes a second
    # writer wait its turn instead of failing with "database is locked".
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_tables(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed if the block succeeds, rolled back if it raises."""
    with Session(engine) as db_session:
        try:
            yield db_session
            db_session.commit()
        except BaseException:
            db_session.rollback()
            raise
