from __future__ import annotations

import socket

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from bot.store import db, models


def test_sqlite_connections_use_wal_and_wait_when_busy(sqlite_engine):
    engine = sqlite_engine
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == db.BUSY_TIMEOUT_MS


def test_tables_are_created(engine):
    tables = inspect(engine).get_table_names()

    assert {"article", "knowledge_version"} <= set(tables)
    indexes = inspect(engine).get_indexes("article")
    assert any(index["column_names"] == ["category"] for index in indexes)


def test_in_memory_sqlite_is_shared_between_sessions():
    engine = db.make_engine("sqlite://")
    db.upgrade(engine)

    with db.session(engine) as session:
        session.add(models.KnowledgeVersion(version=3))
    with db.session(engine) as session:
        assert session.get(models.KnowledgeVersion, 1).version == 3


def test_a_session_rolls_back_when_the_block_raises(engine):
    with pytest.raises(RuntimeError), db.session(engine) as session:
        session.add(models.KnowledgeVersion(version=9))
        session.flush()
        raise RuntimeError("stop")

    with db.session(engine) as session:
        assert session.get(models.KnowledgeVersion, 1) is None


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u@db/deskmate",
        "postgresql://u@db/deskmate",
        "postgresql+psycopg://u@db/deskmate",
    ],
)
def test_postgres_urls_use_psycopg_3(url):
    assert db.normalise_url(url).drivername == "postgresql+psycopg"
    assert db.normalise_url(url).database == "deskmate"


def test_a_postgres_engine_is_made_without_connecting():
    pytest.importorskip("psycopg")  # the `postgres` extra

    engine = db.make_engine("postgresql://u@db.invalid/deskmate")

    assert engine.url.drivername == "postgresql+psycopg"


def test_a_postgresql_server_that_never_answers_fails_the_connection_instead_of_hanging():
    # A socket that completes TCP's handshake (the kernel does) but never speaks.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    engine = db.make_engine(f"postgresql+psycopg://deskmate@127.0.0.1:{port}/deskmate")
    try:
        with pytest.raises(OperationalError, match="timeout"), engine.connect():
            pass
    finally:
        engine.dispose()
        silent.close()
