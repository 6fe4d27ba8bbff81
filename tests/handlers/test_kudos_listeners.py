"""The /kudos listeners called directly, Slack's starter-template style (Mock Ack, Respond
and WebClient over a real SQLite database), for the failures a fake Slack cannot easily
stage: the database down, one DM refused, the giver's profile unreadable."""

from __future__ import annotations

import datetime as dt
import logging
from unittest.mock import Mock

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlmodel import Session, select

from bot.slack.blocks import kudos as kudos_blocks
from bot.store import models
from handlers import kudos, replies

GIVER = "U0GIVER001"


def command(text: str) -> dict:
    return {
        "team_id": "T0COUNCIL1",
        "user_id": GIVER,
        "channel_id": "C0CALLS001",
        "text": text,
        "trigger_id": "1.2.3",
        "response_url": "https://hooks.slack.com/commands/T0COUNCIL1/1/x",
    }


def people(client: Mock, giver: Exception | None = None) -> None:
    """users.info answers for everyone, except that it raises `giver` for the giver."""

    def users_info(user, **_):
        if user == GIVER and giver is not None:
            raise giver
        return {"ok": True, "user": {"id": user, "tz": "Pacific/Auckland"}}

    client.users_info.side_effect = users_info
    client.chat_postMessage.return_value = {"ok": True, "ts": "1700000000.000100"}


def refused(error: str) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=200,
    )
    return SlackApiError(error, response)


def test_a_kudos_the_database_cannot_store_is_apologised_for(ack, respond, client, down, logger):
    people(client)

    kudos.kudos_command(
        ack, command("<@U0ALEX0001> for a great call"), respond, client, {"deskmate": down}, logger
    )

    ack.assert_called_once()
    assert ack.call_args.kwargs["text"] == kudos.unsaved("<@U0ALEX0001> for a great call")
    respond.assert_not_called()
    client.chat_postMessage.assert_not_called()


def test_mine_and_the_leaderboard_apologise_when_the_database_is_down(ack, down, logger):
    for text in ("mine", "leaderboard"):
        kudos.show(ack, down, logger, GIVER, text)

        assert ack.call_args.kwargs["text"] == replies.SORRY_DATABASE


def test_the_form_shows_a_database_failure_in_the_form(ack, client, down, logger):
    people(client)
    view = {
        "id": "V1",
        "private_metadata": kudos_blocks.metadata("C0CALLS001", None),
        "state": {
            "values": {
                "recipients": {"pick": {"selected_users": ["U0ALEX0001"]}},
                "message": {"pick": {"value": "for a great call today"}},
            }
        },
    }
    body = {"user": {"id": GIVER}, "team": {"id": "T1"}, "view": view}

    kudos.submit_kudos(ack, body, view, client, {"deskmate": down}, logger)

    assert ack.call_args.kwargs == {
        "response_action": "errors",
        "errors": {"message": replies.SORRY_DATABASE},
    }


def test_a_refused_dm_is_logged_and_the_kudos_still_counts_as_posted(
    ack, respond, client, context, logger, deskmate, caplog
):
    people(client)
    client.chat_postMessage.side_effect = [
        {"ok": True, "ts": "1700000000.000100"},
        refused("cannot_dm_bot"),
        {"ok": True, "ts": "1700000000.000200"},
    ]

    kudos.kudos_command(
        ack,
        command("<@U0ALEX0001> <@U0SAM00001> for a great call"),
        respond,
        client,
        context,
        logger,
    )

    assert [c.kwargs["channel"] for c in client.chat_postMessage.call_args_list] == [
        "C0CALLS001",
        "U0ALEX0001",
        "U0SAM00001",
    ]
    assert "Could not send kudos 1 to U0ALEX0001" in caplog.text
    assert respond.call_args.kwargs["text"].endswith("is posted in <#C0CALLS001>.")


def test_an_unreadable_giver_profile_means_the_app_yaml_time_zone(
    ack, respond, client, context, logger, deskmate, caplog
):
    people(client, giver=refused("ratelimited"))
    caplog.set_level(logging.WARNING)
    # Midday in London on the 24th; in Auckland, where Slack would have said, the 25th.
    deskmate.clock = lambda: dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)

    kudos.kudos_command(
        ack, command("<@U0ALEX0001> for a great call"), respond, client, context, logger
    )

    with Session(deskmate.engine) as session:
        [row] = session.exec(select(models.Kudos)).all()
    assert "Could not read the giver's time zone" in caplog.text
    assert row.giver_day == dt.date(2026, 11, 24)


def test_a_form_with_no_way_back_tells_the_giver_by_dm(ack, client, context, logger):
    people(client)
    view = {
        "id": "V2",
        "private_metadata": kudos_blocks.metadata("C0CALLS001", None),
        "state": {
            "values": {
                "recipients": {"pick": {"selected_users": ["U0ALEX0001"]}},
                "message": {"pick": {"value": "for a great call today"}},
            }
        },
    }

    kudos.submit_kudos(ack, {"user": {"id": GIVER}, "view": view}, view, client, context, logger)

    ack.assert_called_once_with()
    last = client.chat_postMessage.call_args_list[-1].kwargs
    assert last["channel"] == GIVER
    assert last["text"].startswith("Thanks! Your kudos for <@U0ALEX0001>")
