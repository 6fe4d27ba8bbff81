"""The app the /kudos dispatch tests share, and how they give kudos through it: signed
requests through `app.dispatch`, the app's WebClient and the response URLs aimed at the
recording fake Slack, whose users.info is set up per person. The app finishes each request
before `dispatch` returns (process_before_response), so "nothing else was sent" can be
asserted. Test modules import the fixtures they use from here."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from urllib.parse import urlencode

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.slack.blocks import kudos as kudos_blocks
from bot.store import models

from ..apps import SECRET, signed_app
from ..databases import migrated_engine
from ..slack_fake import RESPONSE_URL
from .payloads import command_body, payload_request, signed, submission_body

KUDOS_CHANNEL = "C0KUDOS001"
SUPERVISOR = "U0SUPER001"


class Clock:
    """What the app takes for now; real time unless a test sets it."""

    def __init__(self) -> None:
        self.now: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        return self.now or dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with migrated_engine(tmp_path_factory.mktemp("kudos")) as engine:
        yield engine


@pytest.fixture(scope="module")
def clock():
    return Clock()


@pytest.fixture(scope="module")
def app(slack_server, engine, clock):
    settings = Settings(
        channels={"kudos": KUDOS_CHANNEL},
        supervisors=[SUPERVISOR],
        kudos={"values": ["empathy", "customer insight", "culture"], "daily_allowance": 3},
    )
    return signed_app(
        settings, slack_server, engine=engine, process_before_response=True, clock=clock
    )


@pytest.fixture(autouse=True)
def _real_time(clock):
    clock.now = None


def person() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


@pytest.fixture
def giver() -> str:
    return person()


def sent(fake, method=None) -> list:
    calls = [call for call in fake.calls if call.method not in ("auth.test", "users.info")]
    return [call for call in calls if method is None or call.method == method]


def posts(fake, channel=KUDOS_CHANNEL) -> list:
    return [call for call in sent(fake, "chat.postMessage") if call.body["channel"] == channel]


def stored(engine, giver) -> list[models.Kudos]:
    with Session(engine) as session:
        return list(session.exec(select(models.Kudos).where(models.Kudos.giver_id == giver)))


def kudos(app, fake, giver, text, *, trigger=None, retry=None):
    """Type `/kudos TEXT` as `giver`; the acknowledgement's body (None when empty)."""
    body = command_body(text, user_id=giver, response_url=fake.response_url("kudos"))
    body.update(command="/kudos", trigger_id=trigger or uuid.uuid4().hex)
    raw = urlencode(body)
    headers = signed(SECRET, raw, "application/x-www-form-urlencoded")
    if retry is not None:
        headers.update({"x-slack-retry-num": [str(retry)], "x-slack-retry-reason": ["timeout"]})
    response = app.dispatch(BoltRequest(body=raw, headers=headers))
    assert response.status == 200
    return json.loads(response.body) if response.body else None


def acked(ack: dict | None) -> str | None:
    """What the acknowledgement told the giver privately (None: it was empty)."""
    if ack is None:
        return None
    assert ack["response_type"] == "ephemeral"
    return ack["text"]


def told(fake) -> list[str]:
    """What the giver was told privately through the response_url."""
    return [call.body["text"] for call in fake.called(RESPONSE_URL)]


def submit(app, fake, giver, recipients, message, value=None, *, view_id=None):
    """Send the /kudos form back filled in; the acknowledgement's body (None: closed)."""
    private = kudos_blocks.metadata("C0CALLS001", fake.response_url("form"))
    view = kudos_blocks.kudos_view(["empathy", "customer insight", "culture"], private=private)
    option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    state = {
        kudos_blocks.RECIPIENTS: {
            kudos_blocks.PICK: {"type": "multi_users_select", "selected_users": recipients}
        },
        kudos_blocks.VALUE: {
            kudos_blocks.PICK: {"type": "static_select", "selected_option": option}
        },
        kudos_blocks.MESSAGE: {kudos_blocks.PICK: {"type": "plain_text_input", "value": message}},
    }
    payload = submission_body(kudos_blocks.KUDOS_VIEW, private, {}, user_id=giver)
    payload["view"].update(view, id=view_id or "V" + uuid.uuid4().hex[:9].upper())
    payload["view"]["state"] = {"values": state}
    response = app.dispatch(payload_request(SECRET, payload))
    assert response.status == 200
    return json.loads(response.body) if response.body else None
