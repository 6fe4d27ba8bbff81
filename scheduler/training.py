"""Training's scheduled posts: the daily tip or quiz in the training channel, and each new
starter's lesson by DM.

The nudge's day N is the Nth working day (app.yaml's working days, less bank holidays)
counting from `training.start_date`, wrapping round the curriculum. A new starter's lesson n
counts working days from their own start date, on their own calendar date (bot.training).
Both count along this install's curriculum: the days whose article is in its knowledge base.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.slack.blocks.training import nudge
from bot.slack.posting import maybe_posted
from bot.training import (
    LESSONS,
    active_enrolments,
    complete,
    curriculum_for,
    deliver_lesson,
    time_zone,
    training_day,
)
from bot.workdays import WorkingCalendar
from knowledge.training import prompt_for_day
from scheduler.clock import to_utc
from scheduler.delivery import JobContext, deliver_all, post
from scheduler.runs import NotConfigured

log = logging.getLogger(__name__)
NO_LESSONS = (
    "the knowledge base has none of the training curriculum's articles "
    "(knowledge.bundled in app.yaml)"
)


def training_nudge(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    channel = ctx.settings.channels.training
    if channel is None:
        raise NotConfigured("channels.training is not set in app.yaml")
    date = ctx.local_date(scheduled_for)
    number = training_day(ctx.settings, date)
    if number < 1:
        log.info("training_nudge: the curriculum starts on %s", ctx.settings.training.start_date)
        return
    prompts = curriculum_for(ctx.settings)
    if not prompts:
        raise NotConfigured(NO_LESSONS)
    prompt = prompt_for_day(prompts, number)
    text, blocks = nudge(prompt, day=number, date=date)
    send = post(ctx, channel=channel, text=text, blocks=blocks)
    deliver_all(ctx, "training_nudge", scheduled_for, [(channel, send)])


def starter_lessons(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    """Each active starter's lesson for their today, by DM, once per lesson (a second run
    the same day, at any time, finds it sent). A failed DM fails the run after the others
    are sent, so the retry sends only that one. A starter past lesson 50 has completed."""
    job = "starter_lessons"
    calendar = WorkingCalendar.from_settings(ctx.settings)
    prompts = curriculum_for(ctx.settings)
    enrolments = active_enrolments(ctx.engine)
    if enrolments and not prompts:
        raise NotConfigured(NO_LESSONS)
    failed = []
    for enrolment in enrolments:
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
        prompt = prompt_for_day(prompts, lesson)
        text, blocks = nudge(
            prompt, day=lesson, date=today, label=f"New-starter lesson {lesson} of {LESSONS}"
        )

        key = f"{job} {enrolment.id} {lesson}"
        send = post(ctx, channel=enrolment.user_id, text=text, blocks=blocks)
        try:
            deliver_lesson(
                ctx.engine,
                enrolment.id,
                lesson=lesson,
                prompt_day=prompt.day,
                lesson_date=today,
                send=lambda send=send, key=key: send(key),
                keep_if=maybe_posted,
            )
        except Exception as exc:
            log.error("%s: could not send lesson %d to %s: %s", job, lesson, enrolment.user_id, exc)
            failed.append(f"{enrolment.user_id}: {exc}")
            continue
        if lesson == LESSONS:
            complete(ctx.engine, enrolment.id, now=ctx.clock())
    if failed:
        raise RuntimeError(f"{len(failed)} lesson(s) failed: " + "; ".join(failed))
