"""`deskmate backup PATH`: a consistent copy of a SQLite database taken while the bot keeps
writing, never over an existing file; for PostgreSQL, a pg_dump command that works."""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import sqlite3
import subprocess
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from bot.store import db, kb, models
from bot.store.backup import BackupError, backup_sqlite

from ...databases import BACKEND


@pytest.fixture
def database(tmp_path, monkeypatch, make_article):
    """A SQLite database with two articles and a kudos, named by DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    kb.import_articles(engine, articles=[make_article(1), make_article(2)])
    with db.session(engine) as session:
        session.add(_kudos("first", slot=1))
    monkeypatch.setenv("DATABASE_URL", url)
    yield engine
    engine.dispose()


def _kudos(key: str, *, slot: int) -> models.Kudos:
    return models.Kudos(
        request_key=key,
        giver_id="U0GIVER01",
        message="<@U0TAKER01> calmed a caller down #empathy",
        giver_day=dt.date(2026, 11, 24),
        day_slot=slot,
        channel="C0KUDOS01",
    )


def _tables(path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("article", "kudos")
        }


def test_a_backup_taken_mid_write_holds_what_was_committed(cli, database, tmp_path):
    # Another connection is part-way through writing: its row is not committed yet.
    writer = Session(database)
    writer.add(_kudos("second", slot=2))
    writer.flush()
    try:
        code, out, err = cli("backup", str(tmp_path / "copy.db"))
    finally:
        writer.rollback()
        writer.close()

    assert (code, err) == (0, "")
    assert f"backed up to {tmp_path / 'copy.db'}" in out
    assert "2 articles, 1 kudos" in out
    assert _tables(tmp_path / "copy.db") == {"article": 2, "kudos": 1}
    with sqlite3.connect(tmp_path / "copy.db") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(tmp_path.glob(".*.partial"))


def test_deskmate_runs_on_a_restored_backup(cli, database, tmp_path, monkeypatch):
    cli("backup", str(tmp_path / "copy.db"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'copy.db'}")

    code, out, _ = cli("kb", "search", "Test article number 2", "--json")

    assert code == 0
    assert '"id": "test-article-2"' in out


def test_a_folder_gets_a_dated_file_in_the_configured_time_zone(
    cli, database, tmp_path, write_config, monkeypatch
):
    write_config("timezone: America/New_York\n")
    (tmp_path / "backups").mkdir()

    code, out, _ = cli("backup", str(tmp_path / "backups"))

    assert code == 0
    [made] = (tmp_path / "backups").iterdir()
    stamp = dt.datetime.strptime(made.name, "deskmate-%Y%m%d-%H%M%S.db")
    local = dt.datetime.now(ZoneInfo("America/New_York")).replace(tzinfo=None)
    assert abs(stamp - local) < dt.timedelta(minutes=5)
    assert str(made) in out


def test_an_existing_file_is_never_overwritten(cli, database, tmp_path):
    (tmp_path / "copy.db").write_text("last week's backup")

    code, out, err = cli("backup", str(tmp_path / "copy.db"))

    assert (code, out) == (1, "")
    assert err == f"deskmate: no backup made: {tmp_path / 'copy.db'} already exists; " + (
        "choose a new name or a folder\n"
    )
    assert (tmp_path / "copy.db").read_text() == "last week's backup"


@pytest.mark.parametrize(
    ("url", "target", "reason"),
    [
        ("sqlite://", "copy.db", "the database is in memory: there is no file to back up"),
        ("sqlite:///{tmp}/none.db", "copy.db", "there is no database file at {tmp}/none.db"),
        ("sqlite:///{tmp}/live.db", "no/folder/copy.db", "there is no folder {tmp}/no/folder"),
        ("sqlite:///{tmp}/live.db", "{tmp}/live.db", "{tmp}/live.db already exists"),
    ],
)
def test_what_cannot_be_backed_up_is_refused_plainly(database, tmp_path, url, target, reason):
    def fill(text: str) -> str:
        return text.format(tmp=tmp_path)

    with pytest.raises(BackupError, match="^" + fill(reason)):
        backup_sqlite(fill(url), tmp_path / fill(target), now=dt.datetime(2026, 11, 24))
    assert _tables(tmp_path / "live.db") == {"article": 2, "kudos": 1}


def test_postgresql_gets_the_pg_dump_command_without_the_password(cli, monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DATABASE_URL",
        "postgresql+psycopg://deskmate:s3cret@db.council.example:5433/deskmate?sslmode=require",
    )

    code, out, err = cli("backup", str(tmp_path / "deskmate.dump"))

    assert (code, err) == (0, "")
    assert "s3cret" not in out
    command = shlex.split(out.splitlines()[1])
    assert command == [
        "pg_dump",
        "--format=custom",
        f"--file={tmp_path / 'deskmate.dump'}",
        "postgresql://deskmate@db.council.example:5433/deskmate?sslmode=require",
    ]
    assert "pg_restore" in out


@pytest.mark.skipif(BACKEND != "postgresql", reason="runs pg_dump in the PostgreSQL run")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_the_printed_pg_dump_command_backs_up_the_database(
    cli, database_url, monkeypatch, tmp_path
):
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", database_url)

    _, out, _ = cli("backup", str(tmp_path))
    done = subprocess.run(shlex.split(out.splitlines()[1]), capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    [dump] = tmp_path.glob("deskmate-*.dump")
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True)
    assert " TABLE " in listing.stdout and " knowledge_version " in listing.stdout
