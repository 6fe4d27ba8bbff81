"""Posting a kudos in Slack: the shout-out in the kudos channel, then a DM to each recipient,
each once (bot.slack.posting). A post Slack refuses stays stored and unposted;
`retry_unposted` (run before each new kudos, and every few minutes by the scheduler's
kudos_retry) posts it later, once. Each post carries the kudos' key in its metadata, so one
Slack did not answer is looked for in the channel before it is posted again.

A post Slack refuses for good (Deskmate not in the channel, the channel archived, the token
revoked: bot.slack.posting.PERMANENT) is not retried: the kudos is marked stopped, the giver
is told plainly, and the log (and /readyz) tells the admin what to fix; `deskmate kudos
retry` lets the retry pass post them once that is done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from logging import Logger

from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.kudos import Given, claim, get_kudos, hold, mark_posted, pending, release, stop
from bot.slack.blocks import kudos as kudos_blocks
from bot.slack.blocks.base import notice
from bot.slack.posting import SLACK_ERRORS, maybe_posted, post_once, reason, refused_for_good
from bot.store.db import database_failed
from bot.store.models import utcnow

# What an admin must change for each of Slack's refusals for good (bot.slack.posting).
FIXES = {
    "not_in_channel": "invite Deskmate to {channel} (type /invite @Deskmate there)",
    "channel_not_found": "Slack cannot find {channel}: set channels.kudos in app.yaml to the "
    "ID of a channel that exists (such as C0123ABCD), and invite Deskmate if it is private",
    "is_archived": "{channel} is archived: unarchive it, or set channels.kudos in app.yaml to "
    "another channel",
    "restricted_action": "the workspace does not let Deskmate post in {channel}: allow apps to "
    "post there, or set channels.kudos in app.yaml to another channel",
    "missing_scope": "the Slack app lacks a scope it needs: reinstall it from the manifest "
    "(deskmate manifest)",
}
TOKEN_FIX = (
    "Slack no longer accepts SLACK_BOT_TOKEN (revoked or expired, or the app was "
    "uninstalled): reinstall the Slack app and set the new bot token"
)
RETRY = "then run `deskmate kudos retry` to post the kudos that are waiting"


def fix(code: str, channel: str) -> str:
    """What to do about kudos stopped by Slack's `code` in `channel`, for an admin."""
    return f"{FIXES.get(code, TOKEN_FIX).format(channel=channel)}; {RETRY}"


@dataclass(frozen=True)
class Published:
    """How posting a kudos went: `posted`, or not and tried again later, or not and
    `stopped` by Slack's refusal for good (its error code)."""

    posted: bool
    stopped: str | None = None


def publish(
    engine: Engine, client: WebClient, logger: Logger, given: Given, *, check_first: bool = False
) -> Published:
    """Post a claimed kudos and DM its recipients, each once (bot.posting). When the post
    fails it is released for the retry pass; kept claimed when it may have gone out all the
    same, so the retry pass looks for it before posting it again; or stopped, when Slack
    refused it for good. `check_first` looks before posting at all (an earlier claim ran
    out)."""
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
    except SLACK_ERRORS as error:
        return _not_posted(engine, logger, given, error)
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
        except SLACK_ERRORS as error:
            logger.error("Could not send kudos %s to %s: %s", given.id, user_id, reason(error))
    return Published(posted=True)


def _not_posted(engine: Engine, logger: Logger, given: Given, error: Exception) -> Published:
    """Record why a kudos was not posted, and log it (with the fix, when an admin must
    make one)."""
    code = refused_for_good(error)
    unsure = maybe_posted(error)
    if code:
        logger.error(
            "Could not post kudos %s in %s: %s. Trying again will not help, so it is not "
            "retried. To fix: %s",
            given.id,
            given.channel,
            reason(error),
            fix(code, given.channel),
        )
    else:
        logger.error(
            "Could not post kudos %s in %s: %s%s",
            given.id,
            given.channel,
            reason(error),
            "; it may be there, so it is looked for before it is posted again" if unsure else "",
        )
    try:
        if code:
            stop(engine, given.id, code, reason(error))
        else:
            (hold if unsure else release)(engine, given.id, reason(error))
    except SQLAlchemyError:
        logger.exception(
            "Could not release kudos %s; it is retried when its claim expires", given.id
        )
    return Published(posted=False, stopped=code)


def tell_giver(client: WebClient, logger: Logger, given: Given, code: str) -> None:
    """A DM to the giver of a kudos the retry pass had to stop: they were told it would be
    posted."""
    text = kudos_blocks.stopped(given, code)
    try:
        client.chat_postMessage(channel=given.giver_id, text=text, blocks=notice(text))
    except SLACK_ERRORS as error:
        logger.error("Could not tell the giver of kudos %s: %s", given.id, reason(error))


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
        database_failed(logger, "look for kudos waiting to be posted", error)
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
        published = publish(engine, client, logger, given, check_first=given.claimed_at is not None)
        posted += published.posted
        if published.stopped:
            tell_giver(client, logger, given, published.stopped)
    return posted
