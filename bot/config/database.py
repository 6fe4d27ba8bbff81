"""The `database:` section of the settings: which database, checked before anything
connects (a URL SQLAlchemy can read, a driver that is installed, no password in the file),
with a SQLite file found beside the settings file wherever Deskmate is started from."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config.base import Section, custom, show

DEFAULT_DATABASE_URL = "sqlite:///deskmate.db"
log = logging.getLogger(__name__)

# The package that brings each PostgreSQL driver, for the message when it is missing.
DRIVER_PACKAGES = {"psycopg": "psycopg[binary]", "psycopg2": "psycopg2-binary"}


class DatabaseSettings(Section):
    url: str = Field(
        DEFAULT_DATABASE_URL,
        description="a database URL such as sqlite:///deskmate.db or postgresql+psycopg://host/db",
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str, info: ValidationInfo) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise custom(
                "expected a database URL such as sqlite:///deskmate.db or "
                f"postgresql+psycopg://host/db, got {show(value)}"
            ) from None
        if url.get_backend_name() == "postgresql":
            # Plain postgresql:// URLs use psycopg 3 (bot.store.db.normalise_url).
            driver = "psycopg" if "+" not in url.drivername else url.get_driver_name()
            if importlib.util.find_spec(driver) is None:
                raise custom(
                    f"the PostgreSQL driver {driver!r} is not installed; install it with: "
                    f"pip install '{DRIVER_PACKAGES.get(driver, driver)}'"
                )
        context = info.context or {}
        if url.password and context.get("from_file"):
            raise custom(
                "a password does not belong in app.yaml; set the DATABASE_URL environment "
                "variable instead"
            )
        # A relative SQLite file sits beside app.yaml, like the knowledge paths do, so the
        # database does not move when the bot is started from another directory.
        if url.get_backend_name() == "sqlite" and context.get("base"):
            name = url.database or ""
            if name and name != ":memory:" and not name.startswith("file:"):
                path = Path(name).expanduser()
                if not path.is_absolute():
                    url = url.set(database=str((Path(context["base"]) / path).resolve()))
                    return url.render_as_string(hide_password=False)
        return value


def warn_of_a_database_left_here(url: str) -> None:
    """A `deskmate.db` in the current folder, when the settings say the database is one
    beside the settings file: once, Deskmate put it here; name it rather than start a new
    one silently."""
    here = Path(DEFAULT_DATABASE_URL.removeprefix("sqlite:///")).resolve()
    used = Path(url.removeprefix("sqlite:///"))
    if here.is_file() and here != used and not used.exists():
        log.warning(
            "%s is not the database these settings use (%s, beside the settings file); "
            "move it there to keep its data, or set database.url",
            here,
            used,
        )
