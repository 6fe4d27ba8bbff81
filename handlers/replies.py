"""Sending replies and posts so that a failure is logged and told to the CSR, never lost
in a log nobody reads: slack_sdk's retry handlers have already had their go by then. And the
one apology for a database that cannot be reached, for every listener."""

from __future__ import annotations

import json
from collections.abc import Callable
from logging import Logger
from typing import TypeVar

from slack_bolt import Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.slack.blocks.base import Blocks, escape, notice
from bot.slack.posting import SLACK_ERRORS, reason
from bot.slack.users import SORRY_CHECK, SlackUnavailable
from bot.store.db import database_failed

T = TypeVar("T")

SORRY_SEARCH = "Sorry, I couldn't search the knowledge base just now, please try again."
SORRY_DATABASE = (
    "Sorry, I couldn't reach the Deskmate database just now. Please try again in a minute."
)
SORRY_SHARE = "Sorry, I couldn't share that in the channel just now, please try again."
SORRY_FORM = "Sorry, I couldn't open the form just now, please try again."
SORRY_LIST = "Sorry, I couldn't show that just now, please try again."
GONE = "That article is no longer in the knowledge base. Please search again with `/answer`."


def _refused(body: str) -> bool:
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return False
    return isinstance(data, dict) and data.get("ok") is False


def reply(respond: Respond, logger: Logger, what: str, **message) -> bool:
    """Send `message` through the response_url; False (and logged) if Slack did not take it."""
    try:
        response = respond(**message)
    except (*SLACK_ERRORS, ValueError) as error:  # ValueError: no response_url at all
        logger.error("Could not %s: %s", what, reason(error))
        return False
    if response.status_code != 200 or _refused(response.body):
        logger.error("Could not %s: HTTP %s %.200s", what, response.status_code, response.body)
        return False
    return True


def tell(respond: Respond, logger: Logger, text: str) -> bool:
    """A private one-line message to the CSR below the message they acted on. A failure is
    logged without the text, which may quote back what they typed."""
    return reply(
        respond,
        logger,
        "tell the user",
        response_type="ephemeral",
        replace_original=False,
        text=text,
        blocks=notice(text),
    )


def checked_and_stored(
    respond: Respond,
    logger: Logger,
    work: Callable[[], T],
    *,
    refused: type[Exception],
    checking: str,
    storing: str,
    unsaved: str = SORRY_DATABASE,
) -> T | None:
    """What `work` returns: the checks that need Slack (users.info) and then the store, for
    a request already acknowledged. When it cannot be done the person is told why, through
    the response_url, and None is returned: the rule it broke (`refused`, whose message
    says so), Slack that could not say who someone is, or a database that would not take
    it (`unsaved`: an apology that can quote back what they typed, so nothing is lost)."""
    try:
        return work()
    except refused as error:
        tell(respond, logger, str(error))
    except SlackUnavailable as error:
        logger.error("Could not check %s: %s", checking, error)
        tell(respond, logger, SORRY_CHECK)
    except SQLAlchemyError as error:
        database_failed(logger, storing, error)
        tell(respond, logger, unsaved)
    return None


def open_modal(
    client: WebClient, respond: Respond, logger: Logger, trigger_id: str, view: dict
) -> bool:
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_ERRORS as error:
        logger.error("Could not open a modal (views.open): %s", reason(error))
        tell(respond, logger, SORRY_FORM)
        return False
    return True


def pass_to_owner(
    client: WebClient,
    logger: Logger,
    *,
    channel: str | None,
    owner: str | None,
    what: str,
    text: str,
    blocks: Blocks,
) -> str:
    """Post to the owner's channel (if there is one); returns what to tell the CSR.
    `what` is already escaped, e.g. 'your feedback on “Title”'."""
    if channel is None:
        return f"Thanks, {what} is saved."
    who = escape(owner) if owner else "the article's owner"
    try:
        client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
    except SLACK_ERRORS as error:
        logger.error("Could not post to the owner channel %s: %s", channel, reason(error))
        return f"Sorry, I couldn't pass {what} to {who} just now. It is saved, so nothing is lost."
    return f"Thanks, {what} is saved and passed to {who}."


def private(ack_or_respond, text: str) -> None:
    """A one-line reply only the person who asked sees, through `ack` or `respond`."""
    ack_or_respond(response_type="ephemeral", text=text, blocks=notice(text))
