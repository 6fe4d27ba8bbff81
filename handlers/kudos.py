"""`/kudos`: give one (typed, or in a form), see the leaderboard and what you received.

A kudos is checked (the text rules, then each recipient with users.info) and stored, and
only then acknowledged and posted: publicly in the kudos channel, then a DM to each
recipient, then a private word to the giver. Nothing is acknowledged as saved before its
row is committed, so a crash after the acknowledgement loses nothing (the retry pass posts
it); when Slack is slow to answer the checks, the acknowledgement says so instead, without
promising anything. A post Slack refuses stays stored and unposted; `retry_unposted` (run
before each new kudos and every few minutes by housekeeping) posts it later, once. Each post
carries the kudos' key in its metadata, so one Slack did not answer is looked for in the
channel before it is posted again (bot.slack.posting).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from logging import Logger
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot import kudos_report
from bot.deskmate import Deskmate
from bot.kudos import Given, check_people, create_kudos
from bot.kudos_text import Draft, KudosRefused, check_draft, decode_command, parse_command
from bot.slack.blocks import kudos as kudos_blocks
from bot.slack.blocks.base import SECTION_CHARS, notice
from bot.slack.kudos import Published, publish, retry_unposted
from bot.slack.posting import SLACK_ERRORS, reason
from bot.slack.users import SORRY_CHECK, SlackUnavailable, look_up
from bot.store.db import database_failed
from handlers import replies

# Slack waits 3 seconds for the acknowledgement of a command; the rest is for the network.
ACK_SECONDS = 2.0


def _deskmate(context: BoltContext) -> Deskmate:
    return context["deskmate"]


def request_key(team: str | None, user: str, trigger: str | None) -> str:
    """The same for Slack's retries of one request (they carry the same trigger_id); a
    request without one cannot be told from another, so it gets a key of its own."""
    return f"{team or '-'}:{user}:{trigger or uuid.uuid4().hex}"


# -- checking people -------------------------------------------------------------------------


def giver_tz(client: WebClient, deskmate: Deskmate, user_id: str, logger: Logger) -> dt.tzinfo:
    """The giver's own time zone from Slack, for their daily allowance; app.yaml's when
    Slack does not say."""
    try:
        user = look_up(client, user_id) or {}
    except SlackUnavailable as error:
        logger.warning("Could not read the giver's time zone: %s", error)
        user = {}
    try:
        return ZoneInfo(user["tz"]) if user.get("tz") else deskmate.settings.tz
    except (ZoneInfoNotFoundError, ValueError):
        return deskmate.settings.tz


def _name(user: dict) -> str:
    profile = user.get("profile") or {}
    return profile.get("display_name") or user.get("real_name") or user.get("name") or ""


def store(
    deskmate: Deskmate,
    client: WebClient,
    logger: Logger,
    *,
    giver: str,
    draft: Draft,
    key: str,
    channel: str,
) -> tuple[Given, bool]:
    """The checks that need Slack and the database, then store. Raises KudosRefused with
    the reason, SlackUnavailable, or SQLAlchemyError."""
    found = {user_id: look_up(client, user_id) for user_id in draft.recipients}
    try:
        check_people(found)
    except KudosRefused as refused:
        refused.names = {i: _name(user) for i, user in found.items() if user and _name(user)}
        raise
    settings = deskmate.settings
    return create_kudos(
        deskmate.engine,
        draft,
        giver_id=giver,
        request_key=key,
        channel=settings.channels.kudos or channel,
        giver_tz=giver_tz(client, deskmate, giver, logger),
        allowance=settings.kudos.daily_allowance,
        from_supervisor=settings.is_supervisor(giver),
        now=deskmate.clock(),
    )


# -- posting -----------------------------------------------------------------------------


# -- the command -------------------------------------------------------------------------


def unsaved(text: str) -> str:
    """The apology for a kudos the database would not take, with what was typed quoted
    back (people as mentions, the rest escaped), so nothing is lost: it can be sent again."""
    intro = f"{replies.SORRY_DATABASE} Your kudos isn't saved, so here it is to send again:\n"
    return intro + kudos_blocks.quoted("/kudos " + decode_command(text), SECTION_CHARS - len(intro))


def kudos_command(
    ack: Ack,
    body: dict,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    deskmate = _deskmate(context)
    settings = deskmate.settings
    text = (body.get("text") or "").strip()
    word = text.split(maxsplit=1)[0].lower() if text else ""
    if not text:
        ack()
        private = kudos_blocks.metadata(body.get("channel_id", ""), body.get("response_url"))
        view = kudos_blocks.kudos_view(settings.kudos.values, private=private)
        replies.open_modal(client, respond, logger, body["trigger_id"], view)
        return
    if word in ("help", "?"):
        replies.private(ack, kudos_blocks.usage(settings.kudos.values))
        return
    if word in ("mine", "leaderboard"):
        show(ack, deskmate, logger, body["user_id"], text)
        return
    giver = body["user_id"]
    try:
        draft = check_draft(
            parse_command(text, values=settings.kudos.values),
            giver_id=giver,
            values=settings.kudos.values,
        )
    except KudosRefused as refused:
        replies.private(ack, str(refused))
        return
    key = request_key(body.get("team_id"), giver, body.get("trigger_id"))
    channel = body.get("channel_id", "")

    def work() -> tuple[Given, bool]:
        return store(deskmate, client, logger, giver=giver, draft=draft, key=key, channel=channel)

    answer = _OnceAck(ack)
    outcome = _stored_in_time(answer, logger, work, text)
    if isinstance(outcome, str):  # refused, or not stored: say why, and nothing is kept
        if not answer.private(outcome):
            replies.tell(respond, logger, outcome)
        return
    given, new = outcome
    if not new:
        answer.private(None)
        return  # Slack sent this request again: the first one is taking care of it
    answer.private(kudos_blocks.saved(given))  # only now: the row is committed
    retry_unposted(deskmate.engine, client, logger, clock=deskmate.clock)
    published = publish(deskmate.engine, client, logger, given)
    replies.tell(respond, logger, _confirmation(given, published))


class _OnceAck:
    """Bolt's `ack`, sent once: by the listener with how it went, or by a timer saying the
    checks are still going when Slack is slow to answer them, whichever comes first."""

    def __init__(self, ack: Ack) -> None:
        self._ack, self._lock, self._sent = ack, threading.Lock(), False

    def private(self, text: str | None) -> bool:
        """Acknowledge, with `text` privately (None: with nothing); False if already done."""
        with self._lock:
            if self._sent:
                return False
            self._sent = True
        if text is None:
            self._ack()
        else:
            replies.private(self._ack, text)
        return True


def _stored_in_time(
    answer: _OnceAck, logger: Logger, work: Callable[[], tuple[Given, bool]], text: str
) -> tuple[Given, bool] | str:
    """`work` (the checks with Slack, then the store), acknowledging with "still checking"
    if it outlasts ACK_SECONDS; what it returned, or what to tell the giver instead."""
    timer = threading.Timer(ACK_SECONDS, answer.private, [kudos_blocks.STILL_CHECKING])
    timer.daemon = True
    timer.start()
    try:
        return work()
    except KudosRefused as refused:
        return str(refused)
    except SlackUnavailable as error:
        logger.error("Could not check kudos recipients: %s", error)
        return SORRY_CHECK
    except SQLAlchemyError as error:
        database_failed(logger, "store a kudos", error)
        return unsaved(text)
    finally:
        timer.cancel()


def _confirmation(given: Given, published: Published) -> str:
    return kudos_blocks.confirmation(given, posted=published.posted, stopped_by=published.stopped)


# -- the form ------------------------------------------------------------------------------


def submit_kudos(
    ack: Ack,
    body: dict,
    view: dict,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    """Check and store while the form waits (a refusal is shown in it, by the field it is
    about), close it, then post."""
    deskmate = _deskmate(context)
    values = deskmate.settings.kudos.values
    recipients, value, message = kudos_blocks.form_state(view)
    channel, url = kudos_blocks.read_metadata(view)
    giver = body["user"]["id"]
    form = view.get("id")
    key = request_key((body.get("team") or {}).get("id"), giver, form and f"view:{form}")
    try:
        draft = check_draft(Draft(tuple(recipients), message, value), giver_id=giver, values=values)
        given, new = store(
            deskmate, client, logger, giver=giver, draft=draft, key=key, channel=channel
        )
    except KudosRefused as refused:
        text = kudos_blocks.plain(str(refused), getattr(refused, "names", {}))
        ack(response_action="errors", errors={refused.field: text})
        return
    except SlackUnavailable as error:
        logger.error("Could not check kudos recipients: %s", error)
        ack(response_action="errors", errors={kudos_blocks.RECIPIENTS: SORRY_CHECK})
        return
    except SQLAlchemyError as error:
        database_failed(logger, "store a kudos", error)
        # The form stays open with everything still in it, to send again.
        ack(response_action="errors", errors={kudos_blocks.MESSAGE: replies.SORRY_DATABASE})
        return
    ack()
    if not new:
        return
    text = _confirmation(given, publish(deskmate.engine, client, logger, given))
    if url:
        replies.tell(Respond(response_url=url), logger, text)
        return
    try:  # no way back to where /kudos was typed: tell them in Deskmate's messages tab
        client.chat_postMessage(channel=giver, text=text, blocks=notice(text))
    except SLACK_ERRORS as error:
        logger.error("Could not tell the giver about kudos %s: %s", given.id, reason(error))


def show(ack: Ack, deskmate: Deskmate, logger: Logger, user_id: str, text: str) -> None:
    """`/kudos mine` and `/kudos leaderboard [week|month|all]`, privately in the ack."""
    words = text.lower().split()
    tz = deskmate.settings.tz
    if words[0] == "leaderboard" and (
        len(words) > 2 or (len(words) == 2 and words[1] not in kudos_report.PERIODS)
    ):
        replies.private(ack, "Try `/kudos leaderboard week`, `/kudos leaderboard month` or `all`.")
        return
    try:
        if words[0] == "mine":
            found = kudos_report.received(deskmate.engine, user_id)
            blocks = kudos_blocks.mine(found, tz=tz)
            text = f"You've received {len(found)} kudos" if found else "No kudos yet"
        else:
            period = words[1] if len(words) == 2 else "week"
            board = kudos_report.leaderboard(deskmate.engine, period, tz=tz, now=deskmate.clock())
            blocks = kudos_blocks.leaderboard(board)
            text = f"Kudos leaderboard, {kudos_blocks.PERIOD_NAMES[period]}"
    except SQLAlchemyError as error:
        database_failed(logger, "read kudos", error)
        replies.private(ack, replies.SORRY_DATABASE)
        return
    ack(response_type="ephemeral", text=text, blocks=blocks)


def register(app: App) -> None:
    app.command("/kudos")(kudos_command)
    app.view(kudos_blocks.KUDOS_VIEW)(submit_kudos)
