"""App Home: usage and the CSR's own recent searches, published with views.publish."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.config.settings import Settings
from bot.store import models
from handlers import home

from ..apps import SECRET, signed_app
from ..databases import migrated_engine
from .checks import assert_valid_view, shown
from .payloads import command_body, command_request


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with migrated_engine(tmp_path_factory.mktemp("home")) as engine:
        yield engine


@pytest.fixture(scope="module")
def app(slack_server, engine):
    # Dispatch returns once the listener has finished, so there is nothing to wait for.
    return signed_app(Settings(), slack_server, engine=engine, process_before_response=True)


def home_opened(user: str, tab: str = "home") -> BoltRequest:
    raw = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0COUNCIL1",
            "api_app_id": "A0DESKMATE",
            "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": tab},
            "event_id": "Ev" + uuid.uuid4().hex[:10],
            "event_time": int(time.time()),
        }
    )
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=raw)
    headers = {
        "content-type": ["application/json"],
        "x-slack-request-timestamp": [stamp],
        "x-slack-signature": [signature],
    }
    return BoltRequest(body=raw, headers=headers)


def test_home_shows_the_csrs_own_recent_searches(app, slack_api, engine):
    user = "U" + uuid.uuid4().hex[:10].upper()
    # Slack sends what was typed as "ctr <b> apply" escaped, as below.
    for text in ("skip permit", "missed bin collection", "ctr &lt;b&gt; apply"):
        body = command_body(text, user_id=user, response_url=slack_api.response_url())
        assert app.dispatch(command_request(SECRET, body)).status == 200
    other = command_body("hmo licence", user_id="U0SOMEONE", response_url=slack_api.response_url())
    app.dispatch(command_request(SECRET, other))

    assert app.dispatch(home_opened(user)).status == 200

    [call] = slack_api.called("views.publish")
    assert call.body["user_id"] == user
    view = call.body["view"]
    if isinstance(view, str):
        view = json.loads(view)
    assert_valid_view(view)
    text = shown(view["blocks"])
    assert "skip permit" in text
    assert "missed bin collection  ·  no confident match" in text
    assert "ctr &lt;b&gt; apply" in text and "<b>" not in text
    assert "hmo licence" not in text


def test_other_tabs_publish_nothing(app, slack_api):
    assert app.dispatch(home_opened("U0MESSAGES", tab="messages")).status == 200
    assert slack_api.called("views.publish") == []


def test_a_failed_publish_is_logged(app, slack_api, caplog):
    slack_api.fail("views.publish", "not_enabled")
    assert app.dispatch(home_opened("U0FAILING")).status == 200
    assert len(slack_api.called("views.publish")) == 1
    assert "Could not publish App Home: not_enabled" in caplog.text


def test_home_view_without_searches_says_so():
    view = home.home_view([], tz=dt.UTC)
    assert_valid_view(view)
    assert "Nothing yet" in shown(view["blocks"])


def test_home_view_times_are_in_the_configured_zone():
    search = models.SearchLog(
        user_id="U1",
        query="skip permit",
        answered=True,
        latency_ms=1.0,
        created_at=dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC),
    )
    london = home.home_view([search], tz=dt.timezone(dt.timedelta(hours=1)))
    assert "01 Jul 10:00" in shown(london["blocks"])


def test_home_shows_the_kudos_received_and_the_totals(app, slack_api, engine):
    from bot.kudos import create_kudos
    from bot.kudos_text import Draft

    user = "U" + uuid.uuid4().hex[:10].upper()
    for number, message in enumerate(["for a calm call <!here>", "for covering lunch today"]):
        create_kudos(
            engine,
            Draft((user,), message, "culture"),
            giver_id=f"U0GIVER00{number}",
            request_key=f"home:{user}:{number}",
            channel="C0KUDOS001",
            giver_tz=dt.UTC,
            allowance=5,
        )

    app.dispatch(home_opened(user))

    [call] = slack_api.called("views.publish")
    view = call.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_view(view)
    text = shown(view["blocks"])
    assert "Received *2* this week, *2* this month and *2* in all. You have given *0*." in text
    # Newest first, escaped.
    assert text.index(">for covering lunch today") < text.index(">for a calm call &lt;!here&gt;")
    assert text.index("Your kudos") < text.index("Your recent searches")


def test_home_view_without_kudos_says_where_they_will_show():
    from bot.kudos_report import Totals
    from bot.slack.blocks.kudos import home_section

    view = home.home_view([], tz=dt.UTC, kudos=home_section(Totals(0, 0, 0, 0), [], tz=dt.UTC))

    assert_valid_view(view)
    assert "Kudos you receive will show here." in shown(view["blocks"])


def test_home_shows_an_enrolled_starter_their_training(app, slack_api, engine):
    from bot.training import deliver_lesson, enrol

    starter = "U" + uuid.uuid4().hex[:10].upper()
    row = enrol(
        engine, user_id=starter, start_date=dt.date(2026, 3, 2), tz=None, enrolled_by="U0SUPER1"
    )
    deliver_lesson(
        engine, row.id, lesson=1, prompt_day=1, lesson_date=dt.date(2026, 3, 2), send=lambda: None
    )

    app.dispatch(home_opened(starter))
    app.dispatch(home_opened("U0NOTSTARTER"))

    starter_view, other_view = (
        json.loads(call.body["view"]) if isinstance(call.body["view"], str) else call.body["view"]
        for call in slack_api.called("views.publish")
    )
    assert_valid_view(starter_view)
    text = shown(starter_view["blocks"])
    assert "Your training" in text
    assert "You are on lesson 1 of 50 (started 2 March 2026). Lessons sent: 1 of 50." in text
    assert "Your training" not in shown(other_view["blocks"])
