"""The app under test when the database is taken away (tests/db_faults): built over the
breakable database while it is up, and the few moves the database-down tests make with it."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

import pytest

from bot.config.settings import Settings

from ..apps import signed_app
from ..slack_fake import RESPONSE_URL
from .conftest import OWNER_CHANNEL
from .kudos_app import KUDOS_CHANNEL, SECRET, SUPERVISOR
from .payloads import action_body, command_body, command_request, payload_request

THURSDAY = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
QUIZ_DATE = dt.date(2026, 3, 5)


@pytest.fixture
def app(breakable, slack_api):
    """The app over the breakable database, built while it is up; each dispatch returns
    once the listener has finished."""
    settings = Settings(
        owners={"Revenues team": OWNER_CHANNEL},
        supervisors=[SUPERVISOR],
        channels={"kudos": KUDOS_CHANNEL},
        # No background look at the knowledge base's version in the middle of a test.
        knowledge={"refresh_seconds": 3600},
    )
    return signed_app(
        settings,
        slack_api,
        engine=breakable.engine,
        process_before_response=True,
        clock=lambda: THURSDAY,
    )


@pytest.fixture
def user() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def unhandled(caplog) -> list[str]:
    """What was logged for an exception that escaped a listener or a middleware: Bolt's
    error handlers (its own, or the app's) log it with its traceback. A failure handled
    and told to the person is logged without one."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
        and (record.exc_info or record.getMessage().startswith("Failed to run"))
    ]


def logged_failure(caplog, what: str) -> bool:
    return f"Could not {what}: the database failed" in caplog.text


def command(app, fake, name: str, text: str, user: str) -> dict | None:
    """Type `NAME TEXT`; the acknowledgement's body (None when empty)."""
    body = command_body(text, user_id=user, response_url=fake.response_url("command"))
    body.update(command=name, trigger_id=uuid.uuid4().hex)
    response = app.dispatch(command_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body) if response.body else None


def press(app, fake, action_id: str, value: str, user: str, **extra) -> None:
    body = action_body(action_id, value, user_id=user, response_url=fake.response_url("card"))
    body.update(extra)
    response = app.dispatch(payload_request(SECRET, body))
    assert (response.status, response.body) == (200, "")


def told(fake) -> list[str]:
    """What was said through response URLs, in order."""
    return [call.body["text"] for call in fake.called(RESPONSE_URL)]
