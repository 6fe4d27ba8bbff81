"""Posting a kudos in Slack: the shout-out in the kudos channel, then a DM to each recipient,
each once (bot.slack.posting). A post Slack refuses stays stored and unposted;
`retry_unposted` (run before each new kudos, and every few minutes by the scheduler's
kudos_retry) posts it later, once. Each post carries the kudos' key in its metadata, so one
Slack did not answer is looked for in the channel before it is posted again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from logging import Logger

from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.kudos import Given, claim, get_kudos, hold, mark_posted, pending, release
from bot.slack.blocks import kudos as kudos_blocks
from bot.slack.posting import SLACK_ERRORS, maybe_posted, post_once, reason
from bot.store.db import database_failed
from bot.store.models import utcnow


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
    except SLACK_ERRORS as error:
        unsure = maybe_posted(error)
        logger.error(
            "Could not post kudos %s in %s: %s%s",
            given.id,
            given.channel,
            reason(error),
            "; it may be there, so it is looked for before it is posted again" if unsure else "",
        )
        try:
            (hold if unsure else release)(engine, given.id, reason(error))
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
        except SLACK_ERRORS as error:
            logger.error("Could not send kudos %s to %s: %s", given.id, user_id, reason(error))
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
        if publish(engine, client, logger, given, check_first=given.claimed_at is not None):
            posted += 1
    return posted
