"""The new-starter programme's daily lessons (SQLite and PostgreSQL): counted in working days
from each starter's own start date, each sent once by DM, quiz answers recorded once, and
the programme completed after lesson 50."""

from __future__ import annotations

import datetime as dt
import json

from slack_sdk import WebClient
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.slack.blocks.training import QUIZ_ANSWER
from bot.store import models
from bot.training import LESSONS, enrol, progress
from bot.workdays import WorkingCalendar
from scheduler.delivery import JobContext
from scheduler.runs import Outcome
from scheduler.service import run_job

from ..apps import SECRET, signed_app
from ..handlers.payloads import action_body, payload_request
from ..slack_fake import RESPONSE_URL

SETTINGS = Settings()
STARTER = "U0STARTER1"
FRIDAY = dt.date(2026, 3, 6)
JOB = "starter_lessons"


def _ctx(engine, slack_api) -> JobContext:
    return JobContext(
        settings=SETTINGS,
        engine=engine,
        client_factory=lambda: WebClient(token="xoxb-test", base_url=slack_api.api_url),
    )


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SETTINGS.tz)


def _enrol(engine, start: dt.date, tz: str | None = None) -> models.Enrolment:
    return enrol(engine, user_id=STARTER, start_date=start, tz=tz, enrolled_by="U0SUPER001")


def _lessons(slack_api) -> list[str]:
    """The label of each lesson DMed to the starter, in order."""
    dms = [c.body for c in slack_api.called("chat.postMessage") if c.body["channel"] == STARTER]
    return [dm["blocks"][-1]["elements"][0]["text"].split(".")[0] for dm in dms]


def _lesson_day(start: dt.date, lesson: int) -> dt.date:
    calendar = WorkingCalendar.from_settings(SETTINGS)
    day = start
    while not (calendar.is_working_day(day) and calendar.working_day_number(start, day) == lesson):
        day += dt.timedelta(days=1)
    return day


def test_a_friday_start_gets_lesson_one_on_friday_and_two_on_monday(engine, slack_api):
    _enrol(engine, FRIDAY)
    ctx = _ctx(engine, slack_api)

    run_job(ctx, JOB, _at(FRIDAY - dt.timedelta(days=1)))  # the Thursday before: nothing
    for offset in range(4):  # Friday, Saturday, Sunday, Monday
        run_job(ctx, JOB, _at(FRIDAY + dt.timedelta(days=offset)))

    assert _lessons(slack_api) == ["New-starter lesson 1 of 50", "New-starter lesson 2 of 50"]
    with Session(engine) as session:
        sent = session.exec(select(models.LessonDelivery).order_by("lesson")).all()
    assert [(row.lesson, row.lesson_date) for row in sent] == [
        (1, FRIDAY),
        (2, dt.date(2026, 3, 9)),
    ]


def test_a_second_fire_the_same_day_posts_nothing(engine, slack_api):
    _enrol(engine, FRIDAY)
    ctx = _ctx(engine, slack_api)

    assert run_job(ctx, JOB, _at(FRIDAY)) is Outcome.DONE
    # Another scheduled time the same day is another run, but the lesson is already sent.
    assert run_job(ctx, JOB, _at(FRIDAY, 15)) is Outcome.DONE

    assert _lessons(slack_api) == ["New-starter lesson 1 of 50"]


def test_lessons_follow_the_starters_own_date(engine, slack_api):
    # 09:00 Friday in London is already Saturday in Auckland: no lesson for them yet.
    _enrol(engine, FRIDAY, tz="Pacific/Auckland")
    ctx = _ctx(engine, slack_api)

    run_job(ctx, JOB, _at(FRIDAY))
    run_job(ctx, JOB, _at(FRIDAY - dt.timedelta(days=1)))  # Friday morning in Auckland

    assert _lessons(slack_api) == ["New-starter lesson 1 of 50"]


def test_a_failed_dm_fails_the_run_and_the_retry_sends_it_once(engine, slack_api):
    _enrol(engine, FRIDAY)
    ctx = _ctx(engine, slack_api)
    slack_api.fail("chat.postMessage")

    assert run_job(ctx, JOB, _at(FRIDAY)) is Outcome.FAILED
    slack_api.reset()
    assert run_job(ctx, JOB, _at(FRIDAY)) is Outcome.DONE

    assert _lessons(slack_api) == ["New-starter lesson 1 of 50"]
    assert progress(engine, STARTER).sent == 1


def test_a_lesson_quiz_pressed_twice_is_recorded_once(engine, slack_api):
    from bot.training import curriculum

    quiz = next(p for p in sorted(curriculum(), key=lambda p: p.day) if p.is_quiz)
    start = dt.date(2026, 3, 2)
    _enrol(engine, start)
    run_job(_ctx(engine, slack_api), JOB, _at(_lesson_day(start, quiz.day)))
    [dm] = [c.body for c in slack_api.called("chat.postMessage")]
    buttons = dm["blocks"][1]["elements"]
    app = signed_app(SETTINGS, slack_api, engine=engine, process_before_response=True)

    for button in (buttons[quiz.answer], buttons[(quiz.answer + 1) % len(buttons)]):
        assert button["action_id"].startswith(QUIZ_ANSWER)
        body = action_body(
            button["action_id"],
            button["value"],
            user_id=STARTER,
            response_url=slack_api.response_url("quiz"),
        )
        assert app.dispatch(payload_request(SECRET, body)).status == 200

    with Session(engine) as session:
        [answer] = session.exec(select(models.QuizAnswer)).all()
    assert (answer.day, answer.correct) == (quiz.day, True)
    assert json.loads(buttons[0]["value"])["d"] == _lesson_day(start, quiz.day).isoformat()
    found = progress(engine, STARTER)
    assert (found.right, found.answered) == (1, 1)
    assert len(slack_api.called(RESPONSE_URL)) == 2


def test_the_programme_completes_after_lesson_fifty(engine, slack_api):
    start = dt.date(2026, 1, 5)
    row = _enrol(engine, start)
    ctx = _ctx(engine, slack_api)
    last = _lesson_day(start, LESSONS)

    run_job(ctx, JOB, _at(last))
    run_job(ctx, JOB, _at(last + dt.timedelta(days=3)))

    assert _lessons(slack_api) == ["New-starter lesson 50 of 50"]
    found = progress(engine, STARTER)
    assert found.completed is not None and found.sent == 1
    # Finished, so they can be enrolled again.
    assert _enrol(engine, last + dt.timedelta(days=7)).id != row.id


def test_a_starter_whose_fifty_days_have_passed_completes_without_a_post(engine, slack_api):
    _enrol(engine, dt.date(2025, 6, 2))

    run_job(_ctx(engine, slack_api), JOB, _at(FRIDAY))

    assert _lessons(slack_api) == []
    assert progress(engine, STARTER).completed is not None
