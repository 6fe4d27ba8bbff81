"""`/kudos mine`, `/kudos leaderboard` and help through the app, and the Block Kit of the
weekly digest; all private, all within Slack's limits."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from bot.config.settings import Settings
from bot.kudos import create_kudos
from bot.kudos_report import Digest, Given
from bot.kudos_text import Draft
from bot.slack.blocks import kudos as kudos_blocks

from ..apps import SECRET, signed_app
from ..databases import migrated_engine
from .checks import assert_valid_message, shown
from .payloads import command_body, command_request


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with migrated_engine(tmp_path_factory.mktemp("views")) as engine:
        yield engine


@pytest.fixture(scope="module")
def app(slack_server, engine):
    return signed_app(Settings(), slack_server, engine=engine)


def person() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def give(engine, giver, recipient, message="for a really great call", value=None):
    create_kudos(
        engine,
        Draft((recipient,), message, value),
        giver_id=giver,
        request_key=uuid.uuid4().hex,
        channel="C0KUDOS001",
        giver_tz=dt.UTC,
        allowance=50,
    )


def slash(app, fake, user, text):
    body = command_body(text, user_id=user, response_url=fake.response_url())
    body["command"] = "/kudos"
    response = app.dispatch(command_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body)


def test_mine_lists_what_you_received_newest_first_privately(app, slack_api, engine):
    me, other = person(), person()
    give(engine, person(), me, "for the <!channel> announcement", "culture")
    give(engine, person(), me, "for sorting the billing backlog")
    give(engine, person(), other, "for something else entirely")

    reply = slash(app, slack_api, me, "mine")

    assert reply["response_type"] == "ephemeral"
    assert_valid_message(reply["blocks"])
    text = shown(reply["blocks"])
    assert text.index(">for sorting the billing") < text.index(">for the &lt;!channel&gt;")
    assert "*culture*" in text and "something else" not in text
    assert [call for call in slack_api.calls if call.method != "auth.test"] == []


def test_mine_with_nothing_received_says_so(app, slack_api):
    reply = slash(app, slack_api, person(), "mine")

    assert "You haven't received any kudos yet" in reply["text"] + shown(reply["blocks"])


@pytest.mark.parametrize("period", ["", " week", " month", " all", " MONTH"])
def test_the_leaderboard_shows_received_and_given(app, slack_api, engine, period):
    star, fan = person(), person()
    for _ in range(40):
        give(engine, fan, star)

    reply = slash(app, slack_api, person(), "leaderboard" + period)

    assert reply["response_type"] == "ephemeral"
    assert_valid_message(reply["blocks"])
    text = shown(reply["blocks"])
    assert f"1. <@{star}>  ·  40 kudos" in text
    assert f"1. <@{fan}>  ·  40 kudos" in text


def test_a_leaderboard_period_it_does_not_know_gets_the_choices(app, slack_api):
    reply = slash(app, slack_api, person(), "leaderboard fortnight")

    assert "`/kudos leaderboard week`" in reply["text"]


def test_help_explains_kudos(app, slack_api):
    reply = slash(app, slack_api, person(), "help")

    assert "`/kudos @alex for staying calm" in reply["text"]
    assert "`#customer-insight`" in reply["text"]


# -- the weekly digest's blocks ------------------------------------------------------------


def given(number, value=None, message="for a really great call") -> Given:
    return Given(
        id=number,
        giver_id=f"U0G{number % 3}",
        recipients=(f"U0R{number}",),
        message=message,
        value=value,
        from_supervisor=False,
        channel="C0KUDOS001",
        created_at=dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC),
        posted_ts="1.2",
    )


def test_the_digest_shows_each_value_and_thanks_the_givers():
    week = Digest(
        start=dt.date(2026, 11, 23),
        end=dt.date(2026, 11, 29),
        groups=[("culture", [given(1, "culture", "<!here> & co")]), (None, [given(2)])],
        givers=[("U0G1", 1), ("U0G2", 1)],
    )

    text, blocks = kudos_blocks.digest(week)

    assert_valid_message(blocks)
    assert text == "This week's kudos: 2 from 23 November to 29 November 2026."
    shown_text = shown(blocks)
    assert "*Culture*\n• <@U0R1>, from <@U0G1>: &lt;!here&gt; &amp; co" in shown_text
    assert "*Other kudos*" in shown_text
    assert "Thank you to everyone who gave kudos: <@U0G1> and <@U0G2>." in shown_text


def test_a_huge_week_still_fits_block_kit():
    groups = [
        (f"value {n}", [given(k, f"value {n}", "x" * 900) for k in range(30)]) for n in range(60)
    ]
    week = Digest(dt.date(2026, 11, 23), dt.date(2026, 11, 29), groups, [("U0G1", 1800)])

    _, blocks = kudos_blocks.digest(week)

    assert_valid_message(blocks)


def test_an_empty_week_says_so():
    _, blocks = kudos_blocks.digest(Digest(dt.date(2026, 11, 23), dt.date(2026, 11, 29)))

    assert_valid_message(blocks)
    assert "No kudos were given" in shown(blocks)
