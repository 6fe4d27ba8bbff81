"""Sending replies and posts so that a failure is logged and told to the CSR, never lost
in a log nobody reads: slack_sdk's retry handlers have already had their go by then. And the
one apology for a database that cannot be reached, for every listener."""

from __future__ import annotations

import json
from logging import Logger

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from bot.slack.blocks.answer import Blocks, escape, notice

# What a Web API or response_url call raises once retries are spent: Slack's refusals,
# and connection errors (urllib's URLError is an OSError).
SLACK_ERRORS = (SlackClientError, OSError)

SORRY_SEARCH = "Sorry, I couldn't search the knowledge base just now, please try again."
SORRY_DATABASE = (
    "Sorry, I couldn't reach the Deskmate database just now. Please try again in a minute."
)
SORRY_SHARE = "Sorry, I couldn't share that in the channel just now, please try again."
SORRY_FORM = "Sorry, I couldn't open the form just now, please try again."
SORRY_LIST = "Sorry, I couldn't show that just now, please try again."
GONE = "That article is no longer in the knowledge base. Please search again with `/answer`."


def reason(error: Exception) -> str:
    """A short, secret-free account of a failed call for the log."""
    if isinstance(error, SlackApiError):
        data = error.response.data if isinstance(error.response.data, dict) else {}
        return f"HTTP {error.response.status_code}, {data.get('error', 'no error given')}"
    return f"{type(error).__name__}: {error}"


def database_reason(error: SQLAlchemyError) -> str:
    """What went wrong with the database, for the log. Never SQLAlchemy's own message: it
    carries the statement's parameters, which may be what a person typed. The driver's
    first line is kept only for connection and lock failures, which hold no data."""
    cause = getattr(error, "orig", None)
    if isinstance(error, OperationalError | InterfaceError) and cause is not None:
        lines = str(cause).strip().splitlines() or [""]
        return f"{type(cause).__name__}: {lines[0][:200]}"
    return type(cause or error).__name__


def database_failed(logger: Logger, what: str, error: SQLAlchemyError) -> None:
    """Log that the database let `what` ("store a kudos") fail; the person is told
    SORRY_DATABASE by the caller, and nothing has changed."""
    logger.error("Could not %s: the database failed (%s)", what, database_reason(error))


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
