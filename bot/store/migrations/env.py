"""Alembic's environment. The product hands it a connection (bot.store.db.upgrade, which holds a
lock while it works); a developer's `alembic ...` gets an engine for DATABASE_URL, or
app.yaml's database."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from bot.store import db

config = context.config
if config.config_file_name and "connection" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)  # a developer's alembic.ini


def render_item(type_: str, obj, _autogen_context) -> str | bool:
    # SQLModel's AutoString is a plain VARCHAR; rendered as sa.String the migration needs
    # nothing from sqlmodel, and reads the same on SQLite and PostgreSQL.
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _options() -> dict:
    # Batch mode always: SQLite can alter a table only by copying it, and batch operations
    # are plain ALTERs on PostgreSQL, so one migration serves both.
    return {
        "target_metadata": SQLModel.metadata,
        "render_as_batch": True,
        "render_item": render_item,
        "compare_type": True,
    }


def _url() -> str:
    from bot.config.settings import load_settings

    return config.get_main_option("sqlalchemy.url") or load_settings().database.url


def _run(connection) -> None:
    context.configure(connection=connection, **_options())
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=str(db.normalise_url(_url())), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    _run(given)
else:
    engine = db.make_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()
