"""The `database:` settings (bot/settings_database.py): the URL, its driver, the SQLite
file beside the settings file, and DATABASE_URL from the environment."""

from __future__ import annotations

import pytest

from bot.config.settings import SettingsError, load_settings


def test_the_default_database_sits_beside_the_settings_file(tmp_path, write_config):
    """A service started from another folder finds its data where app.yaml says."""
    config = write_config("search:\n  limit: 3\n")  # no database section

    assert load_settings().database.url == f"sqlite:///{config.parent / 'deskmate.db'}"
    write_config("database:\n")  # an empty section means the default too
    assert load_settings().database.url == f"sqlite:///{config.parent / 'deskmate.db'}"


def test_a_database_left_in_the_current_folder_is_named_not_replaced_silently(
    tmp_path, write_config, caplog
):
    (tmp_path / "deskmate.db").write_bytes(b"")  # made by a start from this folder
    config = write_config("search:\n  limit: 3\n")

    settings = load_settings()

    assert settings.database.url == f"sqlite:///{config.parent / 'deskmate.db'}"
    [warning] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert str(tmp_path / "deskmate.db") in warning.getMessage()
    assert "move it there to keep its data, or set database.url" in warning.getMessage()


def test_no_warning_once_the_database_beside_the_settings_exists(tmp_path, write_config, caplog):
    (tmp_path / "deskmate.db").write_bytes(b"")
    config = write_config("search:\n  limit: 3\n")
    (config.parent / "deskmate.db").write_bytes(b"")

    load_settings()

    assert [r for r in caplog.records if r.levelname == "WARNING"] == []


def test_absolute_and_in_memory_database_urls_are_kept(tmp_path, write_config):
    write_config(f"database:\n  url: sqlite:///{tmp_path / 'abs.db'}\n")
    assert load_settings().database.url == f"sqlite:///{tmp_path / 'abs.db'}"

    write_config("database:\n  url: 'sqlite://'\n")
    assert load_settings().database.url == "sqlite://"


def test_database_url_from_the_environment_overrides_app_yaml(write_config, monkeypatch):
    write_config("database:\n  url: sqlite:///file.db\n")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://deskmate:secret@db/deskmate")

    assert load_settings().database.url == "postgresql+psycopg://deskmate:secret@db/deskmate"


def test_a_blank_database_url_in_the_environment_is_ignored(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "  ")

    assert load_settings().database.url == "sqlite:///deskmate.db"


@pytest.mark.parametrize(
    ("url", "package"),
    [
        ("postgresql+pg8000://deskmate@db/deskmate", "pg8000"),
        ("postgresql+nosuchdriver://deskmate@db/deskmate", "nosuchdriver"),
    ],
)
def test_a_missing_postgresql_driver_is_named_in_one_line(monkeypatch, url, package):
    """psycopg comes with the install; another driver named in the URL may not."""
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith("DATABASE_URL: the PostgreSQL driver ")
    assert message.endswith(f"is not installed; install it with: pip install '{package}'")
    assert "\n" not in message


def test_plain_postgresql_urls_use_the_driver_that_comes_with_the_install(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://deskmate@db/deskmate")
    assert load_settings().database.url == "postgresql://deskmate@db/deskmate"


def test_a_bad_database_url_in_the_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url")

    with pytest.raises(SettingsError) as error:
        load_settings()

    assert str(error.value).startswith("DATABASE_URL: expected a database URL")
