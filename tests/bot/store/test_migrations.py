"""The schema comes from the Alembic migrations, on SQLite and PostgreSQL alike, and a
database made by create_all before there were migrations is taken over, not rebuilt."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from bot.config.settings import load_settings
from bot.store import db, kb, models

from ...databases import make_old_schema

# A later revision on top of whatever the shipped head is.
SECOND = """
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("article") as batch_op:
        batch_op.add_column(sa.Column("probe", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("article") as batch_op:
        batch_op.drop_column("probe")
"""


def _second() -> str:
    """A later revision on top of the shipped newest, whichever that is."""
    return SECOND.replace("{head}", db.head_revision())


@pytest.fixture
def empty_engine(database_url) -> Iterator:
    """A database with no tables at all: a new SQLite file, or a new PostgreSQL schema."""
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


def _differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def _revision(engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_a_fresh_database_upgraded_to_head_is_exactly_the_models(empty_engine):
    assert db.upgrade(empty_engine) == db.head_revision()

    assert _differences(empty_engine) == []
    tables = set(inspect(empty_engine).get_table_names())
    assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}


def test_the_partial_unique_index_is_made_by_the_migration(empty_engine):
    db.upgrade(empty_engine)
    indexes = {i["name"]: i for i in inspect(empty_engine).get_indexes("enrolment")}

    assert indexes["uq_enrolment_active_user"]["unique"]
    dialect = empty_engine.dialect.name
    where = indexes["uq_enrolment_active_user"]["dialect_options"][f"{dialect}_where"]
    assert "completed_at IS NULL" in str(where)


def test_phrasings_are_added_with_an_empty_list_for_the_articles_already_there(empty_engine):
    config = db.alembic_config()
    with empty_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.execute(
            text(
                "INSERT INTO article (id, title, category, keywords, body, updated_at) VALUES "
                "('old-1', 'Old', 'housing', '[\"a\"]', 'Say: hi', '2026-01-01 00:00:00')"
            )
        )

    assert db.upgrade(empty_engine) == db.head_revision()

    columns = {c["name"]: c for c in inspect(empty_engine).get_columns("article")}
    assert not columns["phrasings"]["nullable"] and columns["learned_at"]["nullable"]
    [old] = kb.load_from_db(empty_engine)
    assert (old.keywords, old.phrasings) == (("a",), ())
    assert _differences(empty_engine) == []


def test_upgrading_twice_changes_nothing(empty_engine):
    first = db.upgrade(empty_engine)
    with db.session(empty_engine) as session:
        session.add(models.KnowledgeVersion(version=7))

    assert db.upgrade(empty_engine) == first
    assert _differences(empty_engine) == []
    with db.session(empty_engine) as session:
        assert session.get(models.KnowledgeVersion, 1).version == 7


def test_a_database_made_before_migrations_is_stamped_upgraded_and_kept(empty_engine):
    make_old_schema(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("INSERT INTO knowledge_version VALUES (1, 4, '2026-01-01')"))

    assert db.upgrade(empty_engine) == db.head_revision() != db.FIRST_REVISION

    assert _revision(empty_engine) == db.head_revision()
    assert _differences(empty_engine) == []
    with db.session(empty_engine) as session:
        assert session.get(models.KnowledgeVersion, 1).version == 4


def test_a_database_made_by_create_all_is_stamped_then_upgraded(
    empty_engine, tmp_path, monkeypatch
):
    # The shipped migrations plus a second revision, as a later Deskmate would have them.
    migrations = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "0099_probe.py").write_text(_second(), encoding="utf-8")
    monkeypatch.setattr(db, "MIGRATIONS", migrations)
    make_old_schema(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("INSERT INTO knowledge_version VALUES (1, 4, '2026-01-01')"))

    assert db.upgrade(empty_engine) == "0099"

    columns = {c["name"] for c in inspect(empty_engine).get_columns("article")}
    assert "probe" in columns
    with db.session(empty_engine) as session:
        assert session.get(models.KnowledgeVersion, 1).version == 4
    assert db.upgrade(empty_engine) == "0099"


def test_a_schema_from_a_newer_deskmate_is_refused_and_left_alone(empty_engine):
    db.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))

    with pytest.raises(db.SchemaError, match="revision ffff.*newer"):
        db.upgrade(empty_engine)
    assert _revision(empty_engine) == "ffff"


def test_opening_the_database_migrates_it(write_config):
    write_config()

    engine = kb.open_database(load_settings())
    try:
        assert _revision(engine) == db.head_revision()
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_opening_a_database_made_by_create_all_stamps_it(write_config, tmp_path):
    write_config(f"database:\n  url: sqlite:///{tmp_path / 'old.db'}\n")
    old = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    make_old_schema(old)
    old.dispose()

    engine = kb.open_database(load_settings())
    try:
        assert _revision(engine) == db.head_revision()
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_db_upgrade_prints_the_revision_reached(cli):
    code, out, err = cli("db", "upgrade")

    assert (code, err) == (0, "")
    assert out == f"database schema at revision {db.head_revision()} (the newest)\n"
    assert cli("db", "upgrade")[:2] == (0, out)


def test_db_upgrade_explains_a_schema_it_does_not_know(cli):
    cli("db", "upgrade")
    engine = kb.open_database(load_settings())
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    engine.dispose()

    code, out, err = cli("db", "upgrade")

    assert (code, out) == (1, "")
    assert "revision ffff" in err and "newer" in err
    assert "Traceback" not in err


def test_db_without_a_command_shows_its_help(cli):
    code, out, err = cli("db")

    assert code == 2
    assert "upgrade" in err


def test_a_migration_that_fails_leaves_the_database_as_it_was(empty_engine, tmp_path, monkeypatch):
    shipped = db.upgrade(empty_engine)
    migrations = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    broken = _second().replace(
        '        batch_op.add_column(sa.Column("probe", sa.Integer(), nullable=True))',
        '        batch_op.add_column(sa.Column("probe", sa.Integer(), nullable=True))\n'
        '    op.execute("SELECT * FROM no_such_table")',
    )
    (migrations / "versions" / "0099_probe.py").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(db, "MIGRATIONS", migrations)

    with pytest.raises(Exception, match="no_such_table"):
        db.upgrade(empty_engine)

    assert _revision(empty_engine) == shipped
    assert "probe" not in {c["name"] for c in inspect(empty_engine).get_columns("article")}


def test_instances_starting_together_migrate_once(database_url):
    """Eight engines (as eight instances would have) upgrade one empty database at the same
    moment: the lock lets one migrate and the others find the work done."""
    engines = [db.make_engine(database_url) for _ in range(8)]
    start = threading.Barrier(len(engines))

    def upgrade(engine) -> str:
        start.wait()
        return db.upgrade(engine)

    try:
        with ThreadPoolExecutor(len(engines)) as pool:
            revisions = list(pool.map(upgrade, engines))
        with engines[0].connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert revisions == [db.head_revision()] * len(engines)
        assert [row[0] for row in versions] == [db.head_revision()]
        assert _differences(engines[0]) == []
    finally:
        for engine in engines:
            engine.dispose()
