"""Helpers for calling listeners directly and reading what they did."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlmodel import Session, select

from bot.slack.blocks import answer as blocks

from .payloads import action_body

SPD = "benefits-single-person-discount"  # owned by the Revenues team, who have a channel
SKIP = "licensing-skip-permit"  # owned by Street Scene Licensing, who have none


def rows(engine, table):
    with Session(engine) as session:
        return session.exec(select(table)).all()


def acked(ack) -> dict:
    """The arguments of the one acknowledgement."""
    ack.assert_called_once()
    assert ack.call_args.args == ()
    return ack.call_args.kwargs


def sent(respond) -> list[dict]:
    return [call.kwargs for call in respond.call_args_list]


def slack_refusal(error: str) -> SlackApiError:
    """What WebClient raises when Slack answers ok: false."""
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=200,
    )
    return SlackApiError("The request to the Slack API failed.", response)


def press(action_id: str, article_id: str, query: str | None = None) -> dict:
    return action_body(action_id, blocks.button_value(article_id, query))
