"""The scheduled jobs, each a plain function `run(ctx, scheduled_for)` that raises when its
post fails (so the run is recorded as failed and retried within its grace period). Every
post goes out through `_deliver_all`: once per run and target (scheduler.runs.deliver_once),
marked with a key of its own so that one Slack did not answer is looked for before it is
posted again (bot.posting).

Day numbers: the training nudge's day N is the Nth working day (app.yaml's working days, less
bank holidays) counting from `training.start_date`, wrapping round the curriculum. The weekly
digest covers the seven days before the day it is posted (midnight to midnight, local time),
so each kudos appears in exactly one digest. A new starter's lesson n counts working days
from their own start date, on their own calendar date (bot.starters).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot import figures
from bot.config.settings import Settings
from bot.housekeeping import purge_expired_search_logs
from bot.kudos_report import weekly_digest
from bot.quiz import curriculum
from bot.reviews import due_for_review
from bot.slack.posting import post_once
from bot.store.models import utcnow
from bot.training import LESSONS, active_enrolments, complete, deliver_lesson, time_zone
from knowledge.training import prompt_for_day
from scheduler.clock import WorkingCalendar, to_utc
from scheduler.runs import NotConfigured, deliver_once, previous_done

WEEK = dt.timedelta(days=7)
# Sends one post, given the key that marks it in Slack.
Send = Callable[[str], object]

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What a job needs: settings, the database, a Slack client (made when first used)."""

    settings: Settings
    engine: Engine
    client_factory: Callable[[], WebClient] | None = None
    clock: Callable[[], dt.datetime] = utcnow
    _client: WebClient | None = field(default=None, repr=False)

    @property
    def client(self) -> WebClient:
        if self._client is None:
            if self.client_factory is not None:
                self._client = self.client_factory()
            else:
                from bot.entry.app import make_client

                self._client = make_client(
                    os.environ.get("SLACK_BOT_TOKEN"),
                    timeout=self.settings.slack.timeout_seconds,
                )
        return self._client

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.settings.tz).date()


def training_day(settings: Settings, day: dt.date) -> int:
    """The curriculum day for `day` (0 before the start date)."""
    calendar = WorkingCalendar.from_settings(settings)
    return calendar.working_day_number(settings.training.start_date, day)


def training_nudge(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    from handlers.training import nudge

    channel = ctx.settings.channels.training
    if channel is None:
        raise NotConfigured("channels.training is not set in app.yaml")
    date = ctx.local_date(scheduled_for)
    number = training_day(ctx.settings, date)
    if number < 1:
        log.info("training_nudge: the curriculum starts on %s", ctx.settings.training.start_date)
        return
    prompt = prompt_for_day(curriculum(), number)
    text, blocks = nudge(prompt, day=number, date=date)
    post = _post(ctx, channel=channel, text=text, blocks=blocks)
    _deliver_all(ctx, "training_nudge", scheduled_for, [(channel, post)])


def kudos_digest(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    from bot.slack.blocks.kudos import digest

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
    post = _post(ctx, channel=channel, text=text, blocks=blocks)
    _deliver_all(ctx, "kudos_digest", scheduled_for, [(channel, post)])


def search_log_purge(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    removed = purge_expired_search_logs(ctx.engine, ctx.settings, now=ctx.clock())
    log.info("purged %d search logs older than %d days", removed, ctx.settings.logs.retention_days)


def review_reminders(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    """Each owner's articles to review, in their channel. Not helpful marks and phrasings
    learned count from the last reminder that went out (a week before, for the first), so
    none is missed or told twice. A post that fails fails the run after the others are sent;
    the retry sends only the ones that failed."""
    from handlers.reviews import pages, reminder

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
            posts.append((target, _post(ctx, channel=channel, text=text, blocks=blocks)))
    _deliver_all(ctx, job, scheduled_for, posts)


def starter_lessons(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    """Each active starter's lesson for their today, by DM, once per lesson (a second run
    the same day, at any time, finds it sent). A failed DM fails the run after the others
    are sent, so the retry sends only that one. A starter past lesson 50 has completed."""
    from handlers.training import nudge

    job = "starter_lessons"
    calendar = WorkingCalendar.from_settings(ctx.settings)
    failed = []
    for enrolment in active_enrolments(ctx.engine):
        today = to_utc(scheduled_for).astimezone(time_zone(enrolment.tz, ctx.settings.tz)).date()
        if not calendar.is_working_day(today):
            continue  # already their weekend or bank holiday: no lesson
        lesson = calendar.working_day_number(enrolment.start_date, today)
        if lesson < 1:
            continue
        if lesson > LESSONS:
            complete(ctx.engine, enrolment.id, now=ctx.clock())
            log.info("%s: %s has completed the programme", job, enrolment.user_id)
            continue
        prompt = prompt_for_day(curriculum(), lesson)
        text, blocks = nudge(
            prompt, day=lesson, date=today, label=f"New-starter lesson {lesson} of {LESSONS}"
        )

        key = f"{job} {enrolment.id} {lesson}"
        send = _post(ctx, channel=enrolment.user_id, text=text, blocks=blocks)
        try:
            deliver_lesson(
                ctx.engine,
                enrolment.id,
                lesson=lesson,
                prompt_day=prompt.day,
                lesson_date=today,
                send=lambda send=send, key=key: send(key),
            )
        except Exception as exc:
            log.error("%s: could not send lesson %d to %s: %s", job, lesson, enrolment.user_id, exc)
            failed.append(f"{enrolment.user_id}: {exc}")
            continue
        if lesson == LESSONS:
            complete(ctx.engine, enrolment.id, now=ctx.clock())
    if failed:
        raise RuntimeError(f"{len(failed)} lesson(s) failed: " + "; ".join(failed))


def monthly_figures(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    """Last month's figures: a summary with a chart to the supervisors, and each CSR who did
    anything their own by DM. Each post is sent once; a failed one fails the run after the
    others are sent, so the retry sends only that one."""
    from bot.slack.blocks.figures import personal, summary

    job = "monthly_figures"
    first = figures.previous_month(ctx.local_date(scheduled_for))
    month = figures.monthly_figures(ctx.engine, month=first, tz=ctx.settings.tz)
    posts: list[tuple[str, Send]] = []
    channel = ctx.settings.channels.supervisors
    if channel is None:
        log.warning("%s: channels.supervisors is not set in app.yaml; no summary posted", job)
    elif not month.people or channel.startswith("#"):
        if month.people:
            # files.completeUploadExternal takes a channel ID only; the text still goes.
            log.warning("%s: the chart needs channels.supervisors as an ID, not %s", job, channel)
        note = summary(month)
        posts.append(
            (f"supervisors {channel}", _post(ctx, channel=channel, text=note, mrkdwn=True))
        )
    else:
        comment = summary(month)
        png = figures.chart_png(month)
        posts.append(
            (
                f"supervisors {channel}",
                # Uploads carry no metadata to look for: one Slack did not answer is
                # not sent again (its delivery row stays).
                lambda _key: ctx.client.files_upload_v2(
                    channel=channel,
                    file=png,
                    filename=f"figures-{first:%Y-%m}.png",
                    title=f"Monthly figures, {month.label}",
                    initial_comment=comment,
                ),
            )
        )
    for user_id in month.people:
        text, blocks = personal(month, user_id)
        posts.append((f"dm {user_id}", _post(ctx, channel=user_id, text=text, blocks=blocks)))
    _deliver_all(ctx, job, scheduled_for, posts)


def _post(ctx: JobContext, **message) -> Send:
    """Posting `message` once (bot.posting), given its key."""
    return lambda key: post_once(ctx.client, key=key, unfurl_links=False, **message)


def _deliver_all(
    ctx: JobContext,
    job: str,
    scheduled_for: dt.datetime,
    posts: list[tuple[str, Send]],
) -> None:
    """Send each (target, send) post once; a failure fails the run only after the others
    are sent, so the retry sends just the ones that failed. Each post's key (its metadata
    in Slack) names the job, the scheduled time and the target."""
    failed = []
    for target, send in posts:
        key = f"{job} {to_utc(scheduled_for).isoformat()} {target}"
        try:
            deliver_once(ctx.engine, job, scheduled_for, target, lambda s=send, k=key: s(k))
        except Exception as exc:
            log.error("%s: could not post to %s: %s", job, target, exc)
            failed.append(f"{target}: {exc}")
    if failed:
        raise RuntimeError(f"{len(failed)} post(s) failed: " + "; ".join(failed))


JOBS: dict[str, Callable[[JobContext, dt.datetime], None]] = {
    "training_nudge": training_nudge,
    "kudos_digest": kudos_digest,
    "search_log_purge": search_log_purge,
    "review_reminders": review_reminders,
    "starter_lessons": starter_lessons,
    "monthly_figures": monthly_figures,
}
