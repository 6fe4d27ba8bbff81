"""`/kudos` typed with its text, end to end through the real Bolt app (kudos_app): each
rule, escaping, supervisors, the allowance at the time-zone day boundary, Slack's retries,
and a failed post retried into exactly one public post."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.config.settings import Settings
from bot.slack.blocks.kudos import STILL_CHECKING
from bot.slack.users import SORRY_CHECK

from ..apps import signed_app
from .checks import assert_valid_message, shown
from .kudos_app import (  # noqa: F401 - fixtures
    KUDOS_CHANNEL,
    SECRET,
    SUPERVISOR,
    _real_time,
    acked,
    app,
    clock,
    engine,
    giver,
    kudos,
    person,
    posts,
    sent,
    stored,
    told,
)

# -- giving ------------------------------------------------------------------------------


def test_a_kudos_is_posted_publicly_dmed_to_each_recipient_and_confirmed(
    app, slack_api, engine, giver
):
    alex, sam = person(), person()

    ack = kudos(
        app,
        slack_api,
        giver,
        f"<@{alex}|alex> <@{sam}|sam> for staying calm with a distressed caller #empathy",
    )

    # Acknowledged once it is stored, then confirmed through the response_url once posted.
    assert acked(ack) == (
        f"Thanks! Your kudos for <@{alex}> and <@{sam}> is saved, and I'm posting it in "
        f"<#{KUDOS_CHANNEL}> now."
    )
    [post] = posts(slack_api)
    assert_valid_message(post.body["blocks"])
    text = shown(post.body["blocks"])
    assert f"Kudos to <@{alex}> and <@{sam}>!" in text
    assert ">for staying calm with a distressed caller" in text
    assert f"From <@{giver}>  ·  Value: *empathy*" in text
    assert "supervisor" not in text
    dms = [call for call in sent(slack_api, "chat.postMessage") if call not in (post,)]
    assert [dm.body["channel"] for dm in dms] == [alex, sam]
    assert f"You've received kudos from <@{giver}>" in shown(dms[0].body["blocks"])
    assert told(slack_api) == [
        f"Thanks! Your kudos for <@{alex}> and <@{sam}> is posted in <#{KUDOS_CHANNEL}>."
    ]
    [row] = stored(engine, giver)
    assert (row.value, row.posted_ts, row.channel) == (
        "empathy",
        "1700000000.000100",
        KUDOS_CHANNEL,
    )


def test_a_supervisors_kudos_is_marked_as_such(app, slack_api):
    kudos(app, slack_api, SUPERVISOR, f"<@{person()}> handled a tricky complaint beautifully")

    [post] = posts(slack_api)
    assert "Supervisor kudos to" in shown(post.body["blocks"])
    assert f"From a supervisor, <@{SUPERVISOR}>" in shown(post.body["blocks"])


def test_a_kudos_can_never_ping_a_channel_or_a_group_nor_break_block_kit(
    app, slack_api, engine, giver
):
    alex, sam = person(), person()

    kudos(
        app,
        slack_api,
        giver,
        f"<@{alex}|alex> <!channel> <!here> <!subteam^S0TEAM01|@csrs> &lt;b&gt; &amp;lt; "
        f"and thanks <@{sam}|sam> for the help",
    )

    [post] = posts(slack_api)
    assert_valid_message(post.body["blocks"])
    message = post.body["blocks"][1]["text"]
    assert message["verbatim"] is True
    assert message["text"] == (
        f">&lt;!channel&gt; &lt;!here&gt; @csrs &lt;b&gt; &amp;lt; and thanks <@{sam}> for the help"
    )
    everything = json.dumps([call.body for call in sent(slack_api)])
    for ping in ("<!channel>", "<!here>", "<!subteam"):
        assert ping not in everything
    [row] = stored(engine, giver)
    assert row.message.startswith("<!channel> <!here> @csrs <b> &lt; and")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("for staying calm on the phone", "Start with who the kudos is for"),
        ("<@{giver}|me> for being brilliant today", "can't give one to yourself"),
        ("<@{alex}|alex> thanks!", "at least 3 words"),
        ("<@{alex}|alex> " + "great " * 200, "1,000 characters"),
        ("<@{alex}|alex> for a great call #bravery", "I don't know the value `#bravery`"),
    ],
)
def test_text_that_breaks_a_rule_is_refused_in_the_ack_and_nothing_is_stored(
    app, slack_api, engine, giver, text, says
):
    ack = kudos(app, slack_api, giver, text.format(giver=giver, alex=person()))

    assert ack["response_type"] == "ephemeral"
    assert says in ack["text"]
    assert stored(engine, giver) == []
    assert sent(slack_api) == []


@pytest.mark.parametrize(
    ("profile", "says"),
    [
        ({"is_bot": True}, "is a bot"),
        ({"deleted": True}, "has been deactivated"),
        ({"missing": True}, "couldn't find"),
        ({"error": "user_not_visible"}, "Slack doesn't let me see"),
    ],
    ids=["bot", "deactivated", "unknown", "not visible"],
)
def test_bots_deactivated_and_unknown_people_are_refused_privately(
    app, slack_api, engine, giver, profile, says
):
    alex, bot = person(), person()
    slack_api.person(bot, **profile)

    reply = acked(
        kudos(app, slack_api, giver, f"<@{alex}|alex> <@{bot}|x> for covering the phones")
    )

    assert told(slack_api) == []  # refused in the acknowledgement
    assert says in reply and f"<@{bot}>" in reply
    assert "try again" not in reply  # it would never work
    assert stored(engine, giver) == []
    assert posts(slack_api) == []


def test_when_slack_cannot_say_who_someone_is_nothing_is_stored(app, slack_api, engine, giver):
    slack_api.reply("users.info", status=500, body={"ok": False, "error": "internal_error"})

    ack = kudos(app, slack_api, giver, f"<@{person()}> for covering the phones at lunch")

    # users.info is tried again after an error page, which can outlast the acknowledgement:
    # then it says the check is still going, and the apology follows.
    heard = [acked(ack), *told(slack_api)]
    assert heard in ([SORRY_CHECK], [STILL_CHECKING, SORRY_CHECK])
    assert stored(engine, giver) == []


def test_the_daily_allowance_runs_out_and_says_so(app, slack_api, engine, giver):
    for _ in range(3):
        kudos(app, slack_api, giver, f"<@{person()}> for a brilliant call today")
    slack_api.reset()

    ack = kudos(app, slack_api, giver, f"<@{person()}> for another brilliant call")

    assert acked(ack) == (
        "You've given your 3 kudos for today, thank you! You can give more tomorrow."
    )
    assert len(stored(engine, giver)) == 3
    assert posts(slack_api) == []


def test_the_allowance_starts_again_at_midnight_in_the_givers_own_time_zone(
    app, slack_api, engine, clock, giver
):
    # App-wide time is London; the giver works in New York, five hours behind.
    slack_api.person(giver, tz="America/New_York")
    clock.now = dt.datetime(2026, 11, 25, 4, 30, tzinfo=dt.UTC)  # 23:30 on the 24th there
    for _ in range(3):
        kudos(app, slack_api, giver, f"<@{person()}> for a brilliant late call")

    clock.now = dt.datetime(2026, 11, 25, 4, 59, tzinfo=dt.UTC)  # 23:59 there
    late = kudos(app, slack_api, giver, f"<@{person()}> for one more late call")
    refused = len(stored(engine, giver))
    clock.now = dt.datetime(2026, 11, 25, 5, 1, tzinfo=dt.UTC)  # 00:01 on the 25th there
    early = kudos(app, slack_api, giver, f"<@{person()}> for the first call of the day")

    assert refused == 3
    assert len(stored(engine, giver)) == 4
    assert acked(late).startswith("You've given your 3 kudos")
    assert acked(early).startswith("Thanks! Your kudos for")


def test_without_a_time_zone_from_slack_the_app_yaml_one_is_used(
    app, slack_api, engine, clock, giver
):
    slack_api.person(giver, tz=None)
    clock.now = dt.datetime(2026, 11, 24, 23, 59, tzinfo=dt.UTC)  # London: the 24th
    for _ in range(3):
        kudos(app, slack_api, giver, f"<@{person()}> for a brilliant late call")

    clock.now = dt.datetime(2026, 11, 25, 0, 1, tzinfo=dt.UTC)  # London: the 25th
    kudos(app, slack_api, giver, f"<@{person()}> for an early call")

    assert [row.giver_day for row in stored(engine, giver)] == [dt.date(2026, 11, 24)] * 3 + [
        dt.date(2026, 11, 25)
    ]


def test_a_slack_retry_of_the_same_request_creates_and_posts_nothing_twice(
    app, slack_api, engine, giver
):
    text = f"<@{person()}> for sorting out the billing backlog"

    kudos(app, slack_api, giver, text, trigger="1.2.retried")
    kudos(app, slack_api, giver, text, trigger="1.2.retried", retry=1)
    kudos(app, slack_api, giver, text, trigger="1.2.retried", retry=2)

    assert len(stored(engine, giver)) == 1
    assert len(posts(slack_api)) == 1
    assert len(told(slack_api)) == 1


def test_a_failed_post_is_saved_retried_later_and_posted_exactly_once(
    app, slack_api, engine, giver
):
    alex = person()
    unavailable = {"ok": False, "error": "service_unavailable"}
    slack_api.reply("chat.postMessage", body=unavailable, once=True)

    kudos(app, slack_api, giver, f"<@{alex}> for staying late to help the new starters")

    [row] = stored(engine, giver)
    assert row.posted_ts is None and row.claimed_at is None
    assert told(slack_api)[0].startswith(f"Thanks! Your kudos for <@{alex}> is saved.")
    assert sent(slack_api, "chat.postMessage")[0].body["channel"] == KUDOS_CHANNEL
    assert [dm for dm in sent(slack_api, "chat.postMessage") if dm.body["channel"] == alex] == []

    # The next kudos anyone gives runs the retry pass first.
    kudos(app, slack_api, person(), f"<@{person()}> for an excellent first week")
    kudos(app, slack_api, person(), f"<@{person()}> for an excellent second week")

    about_alex = [post for post in posts(slack_api) if f"<@{alex}>" in json.dumps(post.body)]
    assert len(about_alex) == 2  # the failed attempt, then the one post that worked
    [row] = stored(engine, giver)
    assert row.posted_ts == "1700000000.000100"
    assert (
        len([dm for dm in sent(slack_api, "chat.postMessage") if dm.body["channel"] == alex]) == 1
    )


def test_a_kudos_from_a_channel_with_no_kudos_channel_set_is_posted_where_typed(
    slack_server, engine, giver
):
    slack_server.reset()
    app = signed_app(Settings(), slack_server, engine=engine, process_before_response=True)

    kudos(app, slack_server, giver, f"<@{person()}> for a wonderfully clear explanation")

    [post] = sent(slack_server, "chat.postMessage")[:1]
    assert post.body["channel"] == "C0CALLS001"
    assert told(slack_server)[0].endswith("is posted in <#C0CALLS001>.")
