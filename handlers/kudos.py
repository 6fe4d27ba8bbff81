"""`/kudos`: give one (typed, or in a form), see the leaderboard and what you received.

A kudos is checked (the text rules, then each recipient with users.info), stored, and only
then posted: publicly in the kudos channel, then a DM to each recipient, then a private
word to the giver. A post Slack refuses stays stored and unposted; `retry_unposted` (run
before each new kudos and every few minutes by housekeeping) posts it later, once. Each post
carries the kudos' key in its metadata, so one Slack did not answer is looked for in the
channel before it is posted again (bot.posting).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from logging import Logger
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import kudos_report, metrics
from bot.kudos import (
    Draft,
    Given,
    KudosRefused,
    check_draft,
    check_people,
    claim,
    create_kudos,
    decode_command,
    get_kudos,
    hold,
    mark_posted,
    parse_command,
    pending,
    release,
)
from bot.slack.blocks import kudos as kudos_blocks
from bot.slack.blocks.answer import SECTION_CHARS, notice
from bot.slack.posting import maybe_posted, post_once
from bot.store.models import utcnow
from handlers import replies

if TYPE_CHECKING:  # bot.app imports handlers to register them
    from bot.entry.app import Deskmate

SORRY_CHECK = "Sorry, I couldn't check who that is with Slack just now, please try again."
NOT_FOUND = ("user_not_found", "users_not_found")
NOT_VISIBLE = ("user_not_visible",)


class SlackUnavailable(Exception):
    """users.info failed for a reason other than the person not existing."""


def _deskmate(context: BoltContext) -> Deskmate:
    return context["deskmate"]


def request_key(team: str | None, user: str, trigger: str | None) -> str:
    """The same for Slack's retries of one request (they carry the same trigger_id); a
    request without one cannot be told from another, so it gets a key of its own."""
    return f"{team or '-'}:{user}:{trigger or uuid.uuid4().hex}"


# -- checking people -------------------------------------------------------------------------


def look_up(client: WebClient, user_id: str) -> dict | None:
    """users.info's `user`, or None when Slack does not know them (`not_visible` set when
    Slack will not show them to us)."""
    try:
        response = client.users_info(user=user_id)
    except SlackApiError as error:
        data = error.response.data if isinstance(error.response.data, dict) else {}
        if data.get("error") in NOT_FOUND:
            return None
        if data.get("error") in NOT_VISIBLE:
            # Someone Slack will not show us (another organisation's, through Slack
            # Connect): asking again will never work, so say who and why.
            return {"id": user_id, "not_visible": True}
        raise SlackUnavailable(replies.reason(error)) from error
    except replies.SLACK_ERRORS as error:
        raise SlackUnavailable(replies.reason(error)) from error
    user = response.get("user")
    return user if isinstance(user, dict) else None


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


def publish(
    engine: Engine, client: WebClient, logger: Logger, given: Given, *, check_first: bool = False
) -> bool:
    """Post a claimed kudos and DM its recipients, each once (bot.posting); False if the
    post failed: released for the retry pass, or, when it may have gone out all the same,
    kept claimed so the retry pass looks for it before posting it again. `check_first`
    looks before posting at all (an earlier claim ran out)."""
    text, blocks = kudos_blocks.shout_out(given)
    try:
        ts = post_once(
            client,
            channel=given.channel,
            text=text,
            blocks=blocks,
            key=f"kudos {given.id}",
            since=given.created_at,
            check_first=check_first,
            unfurl_links=False,
            unfurl_media=False,
        )
    except replies.SLACK_ERRORS as error:
        unsure = maybe_posted(error)
        logger.error(
            "Could not post kudos %s in %s: %s%s",
            given.id,
            given.channel,
            replies.reason(error),
            "; it may be there, so it is looked for before it is posted again" if unsure else "",
        )
        try:
            (hold if unsure else release)(engine, given.id, replies.reason(error))
        except SQLAlchemyError:
            logger.exception(
                "Could not release kudos %s; it is retried when its claim expires", given.id
            )
        return False
    metrics.kudos_posted()
    try:
        mark_posted(engine, given.id, ts)
    except SQLAlchemyError:
        # Posted, but not recorded: its claim stops anyone posting it again until it
        # expires, and then the retry finds it in the channel.
        logger.exception("Kudos %s was posted but could not be marked as posted", given.id)
    text, blocks = kudos_blocks.direct_message(given, posted_in=given.channel)
    for user_id in given.recipients:
        try:
            post_once(
                client,
                channel=user_id,
                text=text,
                blocks=blocks,
                key=f"kudos {given.id} to {user_id}",
                since=given.created_at,
                check_first=check_first,
            )
        except replies.SLACK_ERRORS as error:
            logger.error(
                "Could not send kudos %s to %s: %s", given.id, user_id, replies.reason(error)
            )
    return True


def retry_unposted(
    engine: Engine,
    client: WebClient,
    logger: Logger,
    *,
    clock: Callable[[], dt.datetime] = utcnow,
) -> int:
    """Post every stored kudos whose post failed, each by whoever claims it first;
    returns how many were posted."""
    posted = 0
    try:
        waiting = pending(engine, now=clock())
    except SQLAlchemyError as error:
        replies.database_failed(logger, "look for kudos waiting to be posted", error)
        return 0
    for kudos_id in waiting:
        try:
            given = get_kudos(engine, kudos_id)
            if given is None or not claim(engine, kudos_id, now=clock()):
                continue  # another worker has it
        except SQLAlchemyError:
            logger.exception("Could not claim kudos %s for posting", kudos_id)
            continue
        # A claim that ran out (rather than being released) was held by a post that may
        # have gone out, or by a worker that stopped mid-post: look before posting.
        if publish(engine, client, logger, given, check_first=given.claimed_at is not None):
            posted += 1
    return posted


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
    ack()  # the rest needs Slack and the database: answer through the response_url
    retry_unposted(deskmate.engine, client, logger, clock=deskmate.clock)
    key = request_key(body.get("team_id"), giver, body.get("trigger_id"))
    try:
        given, new = store(
            deskmate,
            client,
            logger,
            giver=giver,
            draft=draft,
            key=key,
            channel=body.get("channel_id", ""),
        )
    except KudosRefused as refused:
        replies.tell(respond, logger, str(refused))
        return
    except SlackUnavailable as error:
        logger.error("Could not check kudos recipients: %s", error)
        replies.tell(respond, logger, SORRY_CHECK)
        return
    except SQLAlchemyError as error:
        replies.database_failed(logger, "store a kudos", error)
        replies.tell(respond, logger, unsaved(text))
        return
    if not new:
        return  # Slack sent this request again: the first one is taking care of it
    posted = publish(deskmate.engine, client, logger, given)
    replies.tell(respond, logger, kudos_blocks.confirmation(given, posted=posted))


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
        replies.database_failed(logger, "store a kudos", error)
        # The form stays open with everything still in it, to send again.
        ack(response_action="errors", errors={kudos_blocks.MESSAGE: replies.SORRY_DATABASE})
        return
    ack()
    if not new:
        return
    posted = publish(deskmate.engine, client, logger, given)
    text = kudos_blocks.confirmation(given, posted=posted)
    if url:
        replies.tell(Respond(response_url=url), logger, text)
        return
    try:  # no way back to where /kudos was typed: tell them in Deskmate's messages tab
        client.chat_postMessage(channel=giver, text=text, blocks=notice(text))
    except replies.SLACK_ERRORS as error:
        logger.error("Could not tell the giver about kudos %s: %s", given.id, replies.reason(error))


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
        replies.database_failed(logger, "read kudos", error)
        replies.private(ack, replies.SORRY_DATABASE)
        return
    ack(response_type="ephemeral", text=text, blocks=blocks)


def register(app: App) -> None:
    app.command("/kudos")(kudos_command)
    app.view(kudos_blocks.KUDOS_VIEW)(submit_kudos)
