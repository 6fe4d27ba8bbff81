"""Kudos' scheduled work: the weekly digest, and every few minutes a post of any kudos whose
post failed (bot.kudos claims each, so several processes doing this post it once).

The digest covers the seven days before the day it is posted (midnight to midnight, local
time), so each kudos appears in exactly one digest.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from bot.config.settings import Settings
from bot.kudos_praise import praise_from_cards
from bot.kudos_report import weekly_digest
from bot.slack.blocks.kudos import digest
from bot.slack.client import make_client
from bot.slack.kudos import retry_unposted
from bot.store import db
from scheduler.delivery import JobContext, deliver_all, post
from scheduler.runs import NotConfigured

KUDOS_RETRY_MINUTES = 5

log = logging.getLogger(__name__)


def kudos_digest(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    channel = ctx.settings.channels.kudos
    if channel is None:
        raise NotConfigured("channels.kudos is not set in app.yaml")
    week_start = ctx.local_date(scheduled_for) - dt.timedelta(days=7)
    week = weekly_digest(
        ctx.engine,
        week_start=week_start,
        tz=ctx.settings.tz,
        values=ctx.settings.kudos.values,
    )
    text, blocks = digest(week)
    send = post(ctx, channel=channel, text=text, blocks=blocks)
    deliver_all(ctx, "kudos_digest", scheduled_for, [(channel, send)])


def retry_kudos(settings: Settings) -> None:
    """Post every kudos whose post failed (each is claimed, so several processes post it once)."""
    engine = db.make_engine(settings.database.url)
    try:
        praise_customers(engine, settings)
        client = make_client(
            os.environ.get("SLACK_BOT_TOKEN"), timeout=settings.slack.timeout_seconds
        )
        posted = retry_unposted(engine, client, log)
        if posted:
            log.info("posted %d kudos whose first post had failed", posted)
    except Exception:
        log.exception(
            "could not retry kudos posts; will try again in %d minutes", KUDOS_RETRY_MINUTES
        )
    finally:
        engine.dispose()


def praise_customers(engine, settings: Settings) -> int:
    """Survey cards rated 5 with a comment, as kudos from a customer waiting to be posted
    (when kudos.customer_praise is on and there is a kudos channel to post them in)."""
    channel = settings.channels.kudos
    if not settings.kudos.customer_praise or channel is None:
        return 0
    made = praise_from_cards(engine, agents=settings.figures.agents, channel=channel)
    if made:
        log.info("%d survey card%s became kudos from a customer", made, "" if made == 1 else "s")
    return made
