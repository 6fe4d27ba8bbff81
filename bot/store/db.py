"""The database engine and sessions: SQLite on one machine, PostgreSQL for several."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from logging import Logger
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from bot.store import models  # noqa: F401  (registers the tables on SQLModel.metadata)

BUSY_TIMEOUT_MS = 5_000
CONNECT_TIMEOUT_S = 3  # PostgreSQL
MIGRATION_WAIT_S = 60  # how long a starting instance waits for another's migration
MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"  # today's schema as create_all made it before there were migrations
# Any number, the same in every instance: the PostgreSQL advisory lock taken while migrating.
MIGRATION_LOCK = 0x646B6D74


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
    # Statement parameters (what people typed: queries, kudos, suggestions) stay out of
    # SQLAlchemy's error messages, and so out of every log and traceback.
    hide = {"hide_parameters": True}
    if url.get_backend_name() != "sqlite":
        connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
        if "connect_timeout" not in url.query:
            # A server that stops answering (rather than refusing) fails a request in
            # seconds, not the operating system's two minutes, well past Slack's three.
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args, **hide)
    # The bot answers from several threads (Bolt's listener pool, the scheduler).
    options: dict = {"connect_args": {"check_same_thread": False}}
    if url.database in (None, "", ":memory:"):
        # One shared connection, or each session would see its own empty database.
        options["poolclass"] = StaticPool
    engine = create_engine(url, echo=echo, **options, **hide)
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


class SchemaError(SQLAlchemyError):
    """The database's schema is one this Deskmate cannot bring up to date."""


def alembic_config() -> Config:
    """Alembic's configuration, built here so an installed Deskmate needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at (None: no schema yet), changing nothing."""
    with engine.connect() as connection:
        # Read directly rather than through Alembic, which logs its setup at INFO.
        if "alembic_version" not in inspect(connection).get_table_names():
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }


def upgrade(engine: Engine) -> str:
    """Bring the schema up to the newest migration; returns the revision it is at.

    A database made by `create_all` before there were migrations (tables, no
    alembic_version) is stamped at the first revision, which is that schema, and upgraded
    from there. The whole check-and-migrate holds a lock, so instances starting together
    migrate once and the others find the work done.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # pysqlite would begin a transaction only at the first INSERT, leaving the DDL
            # outside it; BEGIN IMMEDIATE takes the write lock (others wait busy_timeout)
            # and makes the migration all-or-nothing.
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            _begin_immediate(connection)
        else:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            revision = _upgrade(connection)
        except BaseException:
            # SQLite may already have rolled back (some errors end the transaction).
            if sqlite and connection.connection.dbapi_connection.in_transaction:
                connection.exec_driver_sql("ROLLBACK")
            connection.rollback()
            raise
        if sqlite:
            connection.exec_driver_sql("COMMIT")
        connection.commit()
    return revision


def _begin_immediate(connection: Connection) -> None:
    """Take SQLite's write lock, waiting up to MIGRATION_WAIT_S: another process may be
    part-way through migrating, which can take longer than one busy timeout."""
    attempts = MIGRATION_WAIT_S * 1_000 // BUSY_TIMEOUT_MS  # each waits one busy timeout
    for attempt in range(1, attempts + 1):
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as error:
            if "locked" not in str(error.orig) or attempt == attempts:
                raise


def _upgrade(connection: Connection) -> str:
    config = alembic_config()
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if current == head:  # the usual start: nothing to do, and nothing for Alembic to log
            return current
        if current is not None and current not in {
            script.revision for script in scripts.walk_revisions()
        }:
            raise SchemaError(
                f"the database schema is at revision {current}, which this version of "
                "Deskmate does not know (a newer one migrated it); run the newer version"
            )
    config.attributes["connection"] = connection
    if "alembic_version" not in tables and tables & set(SQLModel.metadata.tables):
        command.stamp(config, FIRST_REVISION)
    command.upgrade(config, "head")
    return MigrationContext.configure(connection).get_current_revision()


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


def send_once(
    engine: Engine,
    row: SQLModel,
    send: Callable[[], object],
    *,
    keep_if: Callable[[Exception], bool] | None = None,
) -> bool:
    """Store `row` (whose unique key names one delivery) before `send`, and take it away
    again if `send` raises (which re-raises), so a retry sends it. False, sending nothing,
    when the row was there already: it has been sent.

    The row stays when `keep_if(error)` says the send may have gone out all the same
    (Slack did not answer and could not be checked): sending it again could double it."""
    try:
        with Session(engine) as db_session:
            db_session.add(row)
            db_session.commit()
            row_id = row.id
    except IntegrityError:
        return False
    try:
        send()
    except Exception as error:
        if keep_if is not None and keep_if(error):
            raise
        with Session(engine) as db_session:
            db_session.delete(db_session.get(type(row), row_id))
            db_session.commit()
        raise
    return True


def database_reason(error: SQLAlchemyError) -> str:
    """What went wrong with the database, for the log. Never SQLAlchemy's own message: it
    carries the statement's parameters, which may be what a person typed. The driver's
    first line is kept only for connection and lock failures, which hold no data."""
    cause = getattr(error, "orig", None)
    if isinstance(error, OperationalError | InterfaceError) and cause is not None:
        lines = str(cause).strip().splitlines() or [""]
        return f"{type(cause).__name__}: {lines[0][:200]}"
    return type(cause or error).__name__


def database_failed(logger: Logger, what: str, error: SQLAlchemyError) -> None:
    """Log that the database let `what` ("store a kudos") fail; the person is told
    SORRY_DATABASE by the caller, and nothing has changed."""
    logger.error("Could not %s: the database failed (%s)", what, database_reason(error))
