"""The weekly review reminders: each owner's articles to review, in their channel."""

from __future__ import annotations

import datetime as dt
import logging

from bot.reviews import due_for_review
from bot.slack.blocks.reviews import pages, reminder
from scheduler.clock import to_utc
from scheduler.delivery import JobContext, Send, deliver_all, post
from scheduler.runs import previous_done

log = logging.getLogger(__name__)


WEEK = dt.timedelta(days=7)


def review_reminders(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    """Each owner's articles to review, in their channel. Not helpful marks and phrasings
    learned count from the last reminder that went out (a week before, for the first), so
    none is missed or told twice. A post that fails fails the run after the others are sent;
    the retry sends only the ones that failed."""
    job = "review_reminders"
    previous = previous_done(ctx.engine, job, scheduled_for)
    since = to_utc(previous.scheduled_for) if previous else to_utc(scheduled_for) - WEEK
    due = due_for_review(
        ctx.engine, today=ctx.local_date(scheduled_for), since=since, until=to_utc(scheduled_for)
    )
    posts: list[tuple[str, Send]] = []
    for owner, items in sorted(due.items(), key=lambda pair: pair[0] or ""):
        channel = ctx.settings.owner_channel(owner)
        if channel is None:
            log.warning(
                "%s: %d article%s of %s to review, but no channel for them (channels."
                "article_owners or owners: in app.yaml)",
                job,
                len(items),
                "" if len(items) == 1 else "s",
                owner or "no owner",
            )
            continue
        for start, page in pages(items):
            text, blocks = reminder(owner, page, since=ctx.local_date(since))
            target = f"{channel} {(owner or '')[:200]} {start}"  # fits job_delivery.target
            posts.append((target, post(ctx, channel=channel, text=text, blocks=blocks)))
    deliver_all(ctx, job, scheduled_for, posts)
