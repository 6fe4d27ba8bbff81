"""Deskmate's own log lines: plain text by default, one JSON object per line with
`LOG_FORMAT=json`, at `LOG_LEVEL` (INFO for what runs the bot, WARNING for one-off
commands), and never with a secret in them.

Every line goes through one handler on the root logger, whose formatter replaces Slack
tokens, the values of the Slack secrets in the environment and the database password with
`[redacted]` in the text it writes, whoever logged it (Deskmate, Bolt, gunicorn, SQLAlchemy).
Callers' words are kept out at the source: listeners log ids and reasons, not what people
typed, and SQLAlchemy is told to leave statement parameters out of its errors (bot.store.db).

Bolt and slack_sdk narrate requests and their bodies at INFO and DEBUG, so they are held
at WARNING unless `LOG_LEVEL=DEBUG`, which is for a developer: it may log message text.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterable, Mapping
from typing import IO
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LOG_FORMAT = "LOG_FORMAT"
LOG_LEVEL = "LOG_LEVEL"
FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SECRET_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
REDACTED = "[redacted]"
# A value this short would blank out ordinary words wherever they appear in a line.
MIN_SECRET_CHARS = 6
# Libraries that log request bodies below WARNING; APScheduler narrates every job it runs.
QUIET_BELOW_DEBUG = ("slack_bolt", "slack_sdk", "apscheduler")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Bot, user, workspace, refresh and app-level tokens (xoxb-, xoxp-, xoxa-, xoxe-, xapp- ...).
_TOKENS = re.compile(r"\bxox[abeoprs](?:\.xox[a-z])?-[0-9A-Za-z-]+|\bxapp-[0-9A-Za-z-]+")
# What a LogRecord has before anything is passed in `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class LoggingSetupError(ValueError):
    """LOG_FORMAT or LOG_LEVEL holds something Deskmate does not understand."""


class Scrubber:
    """Replaces Slack tokens, and the secrets found in `environ`, with `[redacted]`."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        secrets = {environ.get(name, "").strip() for name in SECRET_VARIABLES}
        secrets |= _database_passwords(environ.get("DATABASE_URL", ""))
        # Longest first, so a secret that contains another is replaced whole.
        kept = sorted((s for s in secrets if len(s) >= MIN_SECRET_CHARS), key=len, reverse=True)
        self._secrets = re.compile("|".join(map(re.escape, kept))) if kept else None

    def __call__(self, text: str) -> str:
        if self._secrets is not None:
            text = self._secrets.sub(REDACTED, text)
        return _TOKENS.sub(REDACTED, text)


def _database_passwords(url: str) -> set[str]:
    """The password of a database URL as written (percent-encoded) and as meant."""
    if not url.strip():
        return set()
    found = set()
    try:
        written = urlsplit(url.strip()).password
    except ValueError:
        written = None
    if written:
        found |= {written, unquote(written)}
    try:
        password = make_url(url.strip()).password
    except (ArgumentError, ValueError):
        password = None
    if password:
        found.add(str(password))
    return found


class TextFormatter(logging.Formatter):
    """The plain lines Deskmate has always written, with secrets scrubbed."""

    def __init__(self, scrub: Scrubber) -> None:
        super().__init__(TEXT_FORMAT)
        self._scrub = scrub

    def format(self, record: logging.LogRecord) -> str:
        return self._scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, pid, any
    `extra=` fields, and the traceback in `exc`. Each text is scrubbed before it is
    encoded, so a secret is found even where JSON would escape its characters."""

    def __init__(self, scrub: Scrubber) -> None:
        super().__init__()
        self._scrub = scrub

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        line: dict[str, object] = {
            "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._scrub(record.getMessage()),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = self._field(value)
        if record.exc_info:
            line["exc"] = self._scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exc"] = self._scrub(record.exc_text)
        if record.stack_info:
            line["stack"] = self._scrub(record.stack_info)
        return json.dumps(line, ensure_ascii=False)

    def _field(self, value: object) -> object:
        if isinstance(value, str):
            return self._scrub(value)
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, Mapping):
            return {str(key): self._field(item) for key, item in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self._field(item) for item in value]
        return self._scrub(str(value))

    def formatException(self, exc_info) -> str:  # noqa: N802 - logging's name
        return "".join(traceback.format_exception(*exc_info)).rstrip("\n")


class _HoldBelowWarning(logging.Filter):
    """Drops the quiet libraries' lines below WARNING. Their loggers are set to WARNING too,
    but Bolt gives some of its loggers an explicit level of their own (copied from the root
    or the app's logger when they are made), which a parent's level cannot override."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not any(
            record.name == name or record.name.startswith(name + ".") for name in QUIET_BELOW_DEBUG
        )


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged (a test may swap it)."""

    @property
    def stream(self) -> IO[str]:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass


def configure_logging(
    *,
    default_level: int = logging.INFO,
    environ: Mapping[str, str] | None = None,
    stream: IO[str] | None = None,
) -> None:
    """Send every log line through one scrubbing handler on the root logger, in the format
    and at the level the environment asks for. Calling it again replaces that handler.
    Raises LoggingSetupError for a LOG_FORMAT or LOG_LEVEL it does not know."""
    environ = os.environ if environ is None else environ
    kind = _choice(environ, LOG_FORMAT, FORMATS, "text").lower()
    name = _choice(environ, LOG_LEVEL, LEVELS, logging.getLevelName(default_level)).upper()
    level = logging.getLevelName(name)
    scrub = Scrubber(environ)
    handler = _StderrHandler() if stream is None else logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(scrub) if kind == "json" else TextFormatter(scrub))
    handler._deskmate = True  # type: ignore[attr-defined]  # marks the one to replace
    if level > logging.DEBUG:
        handler.addFilter(_HoldBelowWarning())
    root = logging.getLogger()
    for old in _ours(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # Python's warnings as log lines too, not bare stderr
    for quiet in QUIET_BELOW_DEBUG:
        logging.getLogger(quiet).setLevel(
            logging.DEBUG if level <= logging.DEBUG else logging.WARNING
        )


def configured() -> bool:
    """Whether `configure_logging` has put its handler on the root logger."""
    return bool(_ours(logging.getLogger().handlers))


def _ours(handlers: Iterable[logging.Handler]) -> list[logging.Handler]:
    return [handler for handler in handlers if getattr(handler, "_deskmate", False)]


def _choice(
    environ: Mapping[str, str], variable: str, allowed: tuple[str, ...], default: str
) -> str:
    value = environ.get(variable, "").strip()
    if not value:
        return default
    if value.upper() not in (choice.upper() for choice in allowed):
        raise LoggingSetupError(
            f"{variable} should be one of {', '.join(allowed)}, not {value!r}. "
            f"Unset it for the default ({default})."
        )
    return value
