"""The nudge and the new-starter lessons follow the install's knowledge base: a council
without the billing articles never gets a billing day (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from slack_sdk import WebClient

from bot.config.settings import Settings
from bot.slack.blocks.base import escape
from bot.training import LESSONS, curriculum, curriculum_for, enrol, progress
from bot.workdays import WorkingCalendar
from scheduler.delivery import JobContext
from scheduler.runs import Outcome, get_run
from scheduler.service import run_job

TRAINING = "C0TRAINING1"
STARTER = "U0STARTER1"
START = dt.date(2026, 1, 5)  # a Monday
COUNCIL = Settings(
    channels={"training": TRAINING},
    knowledge={"bundled": "council"},
    training={"start_date": START},
)
NONE = Settings(
    channels={"training": TRAINING}, knowledge={"bundled": "none"}, training={"start_date": START}
)


def _ctx(engine, slack_api, settings) -> JobContext:
    return JobContext(
        settings=settings,
        engine=engine,
        client_factory=lambda: WebClient(token="xoxb-test", base_url=slack_api.api_url),
    )


def _working_day(n: int) -> dt.date:
    """The date of the nth working day from START."""
    calendar = WorkingCalendar.from_settings(COUNCIL)
    day = START
    while not (calendar.is_working_day(day) and calendar.working_day_number(START, day) == n):
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=COUNCIL.tz)


def _posted(slack_api, channel: str) -> list[str]:
    """The first section's text of each message posted to `channel`, in order."""
    return [
        call.body["blocks"][0]["text"]["text"]
        for call in slack_api.called("chat.postMessage")
        if call.body["channel"] == channel
    ]


def _day_of(text: str) -> int:
    """The curriculum day whose tip or question `text` shows."""
    [day] = [p.day for p in curriculum() if escape(p.text) in text]
    return day


def test_a_council_nudge_on_a_billing_day_goes_on_to_the_next_council_day(engine, slack_api):
    billing = min(p.day for p in curriculum() if p.article.startswith("billing-"))
    council = curriculum_for(COUNCIL)
    assert council[billing - 1].day > billing  # the billing days are not in it

    run_job(_ctx(engine, slack_api, COUNCIL), "training_nudge", _at(_working_day(billing)))

    [text] = _posted(slack_api, TRAINING)
    assert _day_of(text) == council[billing - 1].day
    assert "$" not in text


def test_a_council_starter_gets_fifty_lessons_none_of_them_billing(engine, slack_api):
    enrol(engine, user_id=STARTER, start_date=START, tz=None, enrolled_by="U0SUPER001")
    ctx = _ctx(engine, slack_api, COUNCIL)

    for lesson in range(1, LESSONS + 1):
        assert run_job(ctx, "starter_lessons", _at(_working_day(lesson))) is Outcome.DONE

    days = [_day_of(text) for text in _posted(slack_api, STARTER)]
    council = curriculum_for(COUNCIL)
    assert len(days) == LESSONS
    # Each council day once, in order, then back to the start for the lessons left over.
    assert days == [p.day for p in council] + [p.day for p in council][: LESSONS - len(council)]
    assert not {p.day for p in curriculum() if p.article.startswith("billing-")} & set(days)
    found = progress(engine, STARTER)
    assert (found.sent, found.latest) == (LESSONS, LESSONS) and found.completed is not None


def test_with_no_curriculum_article_in_the_knowledge_base_nothing_is_posted(engine, slack_api):
    ctx = _ctx(engine, slack_api, NONE)
    enrol(engine, user_id=STARTER, start_date=START, tz=None, enrolled_by="U0SUPER001")

    assert run_job(ctx, "training_nudge", _at(START)) is Outcome.SKIPPED
    assert run_job(ctx, "starter_lessons", _at(START)) is Outcome.SKIPPED

    assert slack_api.called("chat.postMessage") == []
    assert (
        "none of the training curriculum's articles"
        in get_run(engine, "training_nudge", _at(START)).error
    )
    assert progress(engine, STARTER).sent == 0
