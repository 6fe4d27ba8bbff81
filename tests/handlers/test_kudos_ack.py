"""A typed `/kudos` is acknowledged as saved only once its row is committed, as a real
server runs it (the listener carrying on after the acknowledgement); and when Slack is slow
to say who the recipients are, the acknowledgement says the check is still going, promising
nothing, and the outcome follows through the response_url. The crash itself is in
tests/bot/entry/test_server_kudos_crash.py."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.slack.blocks.kudos import STILL_CHECKING
from bot.store import models
from handlers.kudos import ACK_SECONDS

from ..apps import SECRET, signed_app
from ..slack_fake import RATE_LIMITED, RESPONSE_URL
from .payloads import command_body, signed

KUDOS_CHANNEL = "C0KUDOSACK1"


@pytest.fixture
def app(slack_api, engine):
    settings = Settings(channels={"kudos": KUDOS_CHANNEL})
    # As in production: dispatch returns with the acknowledgement, the listener goes on.
    return signed_app(settings, slack_api, engine=engine, process_before_response=False)


def _kudos(app, fake, giver: str, text: str) -> tuple[dict | None, float]:
    """Type `/kudos TEXT`; (the acknowledgement's body, seconds it took)."""
    body = command_body(text, user_id=giver, response_url=fake.response_url("kudos"))
    body.update(command="/kudos", trigger_id=uuid.uuid4().hex)
    raw = urlencode(body)
    started = time.monotonic()
    response = app.dispatch(
        BoltRequest(body=raw, headers=signed(SECRET, raw, "application/x-www-form-urlencoded"))
    )
    took = time.monotonic() - started
    assert response.status == 200
    return (json.loads(response.body) if response.body else None), took


def _stored(engine, giver: str) -> list[models.Kudos]:
    with Session(engine) as session:
        return list(session.exec(select(models.Kudos).where(models.Kudos.giver_id == giver)))


def test_a_kudos_acknowledged_as_saved_is_already_stored(app, slack_api, engine):
    ack, _ = _kudos(app, slack_api, "U0GIVERACK1", "<@U0ALEX0001> for a really calm call")

    # Looked at the moment the acknowledgement is back, before anything is posted.
    rows = _stored(engine, "U0GIVERACK1")
    assert len(rows) == 1
    assert ack["text"] == (
        "Thanks! Your kudos for <@U0ALEX0001> is saved, and I'm posting it in "
        f"<#{KUDOS_CHANNEL}> now."
    )
    [confirmation] = slack_api.wait_for(RESPONSE_URL)
    assert "is posted in" in confirmation.body["text"]


def test_when_slack_is_slow_the_acknowledgement_promises_nothing_and_the_outcome_follows(
    app, slack_api, engine
):
    # users.info rate-limited for longer than the acknowledgement can wait, then answered.
    slack_api.fault("users.info", RATE_LIMITED, retry_after=int(ACK_SECONDS) + 1)

    ack, took = _kudos(app, slack_api, "U0GIVERSLOW", "<@U0ALEX0001> for a really calm call")

    assert ack["text"] == STILL_CHECKING
    assert took < ACK_SECONDS + 0.9  # within Slack's three seconds
    [confirmation] = slack_api.wait_for(RESPONSE_URL)
    assert confirmation.body["text"].startswith("Thanks! Your kudos for <@U0ALEX0001> is posted")
    assert len(_stored(engine, "U0GIVERSLOW")) == 1


def test_when_slack_is_slow_and_then_refuses_the_refusal_follows(app, slack_api, engine):
    slack_api.fault("users.info", RATE_LIMITED, retry_after=int(ACK_SECONDS) + 1)
    slack_api.person("U0ABOT00001", is_bot=True)

    ack, _ = _kudos(app, slack_api, "U0GIVERSLW2", "<@U0ABOT00001> for a really calm call")

    assert ack["text"] == STILL_CHECKING
    [refusal] = slack_api.wait_for(RESPONSE_URL)
    assert "is a bot" in refusal.body["text"]
    assert _stored(engine, "U0GIVERSLW2") == []
