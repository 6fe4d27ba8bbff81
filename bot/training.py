"""Training (core, no Slack): the daily nudge's curriculum day, the quiz's answers, and the
ten-week new-starter programme (enrolment, which lesson a starter is on, each lesson sent
once, their progress).

The channel nudge's day N is the Nth working day counting from `training.start_date`. Each
person's first answer to a day's question counts, once, however many times the button is
pressed or Slack retries it.

A starter's lesson n is the nth working day (app.yaml's working days, less bank holidays)
counting from their own start date, in their own time zone: a Friday start gets lesson 1 on
the Friday and lesson 2 on the Monday. Lesson n shows the nth day of the install's
curriculum (`curriculum_for`: the days whose article is in its knowledge base), so its quiz
answers are stored by `record_answer` like the channel nudge's, and a starter's score is
their answers to the lessons they were sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.kudos import SLACKBOT
from bot.kudos_text import MENTION, decode_command
from bot.store import db
from bot.store.kb import configured_articles
from bot.store.models import Enrolment, LessonDelivery, QuizAnswer, utcnow
from bot.workdays import WorkingCalendar
from knowledge.training import Prompt, for_articles, load_curriculum

LESSONS = 50  # ten weeks of five working days
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SEARCH_DAYS = 60  # a calendar with no working day in this long has none


class EnrolRefused(ValueError):
    """Why an enrolment was not made, in words for the supervisor."""


@dataclass(frozen=True)
class EnrolRequest:
    user_id: str
    start_date: dt.date | None  # None: the next working day


def parse_enrol(text: str) -> EnrolRequest:
    """`<@U1|sam> 2026-03-06` (what follows `/training enrol`, as Slack sends it)."""
    words = decode_command(text).split()
    if not words or not MENTION.fullmatch(words[0]):
        raise EnrolRefused(
            "Say who to enrol: `/training enrol @name` (and a start date such as "
            "2026-03-06 if it isn't the next working day)."
        )
    user_id = MENTION.fullmatch(words[0]).group(1)
    if len(words) == 1:
        return EnrolRequest(user_id, None)
    if len(words) > 2 or not _DATE.match(words[1]):
        raise EnrolRefused(
            "Enrol one person at a time, with the start date written like 2026-03-06: "
            "`/training enrol @name 2026-03-06`."
        )
    try:
        start = dt.date.fromisoformat(words[1])
    except ValueError:
        raise EnrolRefused(f"{words[1]} isn't a date on the calendar.") from None
    return EnrolRequest(user_id, start)


def check_starter(user_id: str, user: Mapping | None) -> None:
    """users.info's `user` for the starter (None: Slack does not know them)."""
    who = f"<@{user_id}>"
    if user is None:
        raise EnrolRefused(f"I couldn't find {who} in this workspace.")
    if user.get("is_bot") or user.get("is_app_user") or user_id == SLACKBOT:
        raise EnrolRefused(f"{who} is a bot. The programme is for new colleagues.")
    if user.get("deleted"):
        raise EnrolRefused(f"{who}'s account has been deactivated, so they can't be enrolled.")


def time_zone(name: str | None, default: dt.tzinfo) -> dt.tzinfo:
    try:
        return ZoneInfo(name) if name else default
    except (ZoneInfoNotFoundError, ValueError):
        return default


def first_working_day(calendar: WorkingCalendar, day: dt.date) -> dt.date:
    """`day`, or the first working day after it."""
    for offset in range(SEARCH_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if calendar.is_working_day(candidate):
            return candidate
    raise EnrolRefused("app.yaml's working days leave no day for a lesson.")


def start_date_for(request: EnrolRequest, *, today: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The start date asked for (not in the past), or the next working day after today."""
    if request.start_date is None:
        return first_working_day(calendar, today + dt.timedelta(days=1))
    if request.start_date < today:
        raise EnrolRefused(
            f"{request.start_date:%-d %B %Y} has passed. Choose today or a later start date."
        )
    return request.start_date


def enrol(
    engine: Engine,
    *,
    user_id: str,
    start_date: dt.date,
    tz: str | None,
    enrolled_by: str,
) -> Enrolment:
    """Store the enrolment; EnrolRefused if the person is on the programme already."""
    row = Enrolment(user_id=user_id, start_date=start_date, tz=tz, enrolled_by=enrolled_by)
    try:
        with Session(engine) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
            session.expunge(row)
            return row
    except IntegrityError:
        pass
    current = latest_enrolment(engine, user_id)
    since = f" (since {current.start_date:%-d %B %Y})" if current is not None else ""
    raise EnrolRefused(
        f"<@{user_id}> is already on the new-starter programme{since}, so nothing has changed."
    )


def latest_enrolment(engine: Engine, user_id: str) -> Enrolment | None:
    """The person's active enrolment, or else their most recent one."""
    with Session(engine) as session:
        rows = session.exec(
            select(Enrolment)
            .where(Enrolment.user_id == user_id)
            .order_by(Enrolment.created_at.desc(), Enrolment.id.desc())
        ).all()
        return next((row for row in rows if row.completed_at is None), rows[0] if rows else None)


def active_enrolments(engine: Engine) -> list[Enrolment]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(Enrolment).where(Enrolment.completed_at.is_(None)).order_by(Enrolment.id)
            ).all()
        )


def complete(engine: Engine, enrolment_id: int, *, now: dt.datetime | None = None) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment_id, Enrolment.completed_at.is_(None))
            .values(completed_at=now or utcnow())
        )


def deliver_lesson(
    engine: Engine,
    enrolment_id: int,
    *,
    lesson: int,
    prompt_day: int,
    lesson_date: dt.date,
    send: Callable[[], object],
    keep_if: Callable[[Exception], bool] | None = None,
) -> bool:
    """Send a lesson at most once (as scheduler.runs.deliver_once): its row is stored
    before `send` and taken away again if `send` raises, which re-raises, unless `keep_if`
    says the DM may have gone out all the same. False when it had been sent already."""
    row = LessonDelivery(
        enrolment_id=enrolment_id, lesson=lesson, prompt_day=prompt_day, lesson_date=lesson_date
    )
    return db.send_once(engine, row, send, keep_if=keep_if)


@dataclass(frozen=True)
class Progress:
    user_id: str
    start_date: dt.date
    sent: int  # lessons sent, of LESSONS
    latest: int  # the highest lesson sent (0 for none yet)
    right: int
    answered: int
    completed: dt.datetime | None


def progress(engine: Engine, user_id: str) -> Progress | None:
    """The person's progress on their active (else latest) enrolment; None if never enrolled."""
    enrolment = latest_enrolment(engine, user_id)
    if enrolment is None:
        return None
    with Session(engine) as session:
        sent = session.exec(
            select(LessonDelivery).where(LessonDelivery.enrolment_id == enrolment.id)
        ).all()
        lessons = {(row.lesson_date, row.prompt_day) for row in sent}
        answers = session.exec(
            select(QuizAnswer).where(
                QuizAnswer.user_id == user_id, QuizAnswer.prompt_date >= enrolment.start_date
            )
        ).all()
    theirs = [answer for answer in answers if (answer.prompt_date, answer.day) in lessons]
    return Progress(
        user_id=user_id,
        start_date=enrolment.start_date,
        sent=len(sent),
        latest=max((row.lesson for row in sent), default=0),
        right=sum(answer.correct for answer in theirs),
        answered=len(theirs),
        completed=enrolment.completed_at,
    )


@lru_cache(maxsize=1)
def curriculum() -> tuple[Prompt, ...]:
    """The bundled curriculum, read once per process."""
    return tuple(load_curriculum())


def curriculum_for(settings: Settings) -> tuple[Prompt, ...]:
    """This install's curriculum: the days whose article its settings put in the knowledge
    base (`knowledge.bundled`, or the centre's own articles), in day order, empty when none
    is. The nudge and the lessons count along these, wrapping round after the last, so a
    council's programme still runs its 50 lessons, its last week going back over call craft
    where the billing days were."""
    knowledge = settings.knowledge
    return _curriculum_for(knowledge.articles, knowledge.categories)


@lru_cache(maxsize=4)
def _curriculum_for(articles: Path, categories: tuple[str, ...] | None) -> tuple[Prompt, ...]:
    # Read once per process: the settings do not change while it runs.
    ids = {article.id for article in configured_articles(articles, categories)}
    return for_articles(curriculum(), ids)


def check_lessons(settings: Settings) -> None:
    """EnrolRefused when this install's knowledge base has no lesson to send."""
    if not curriculum_for(settings):
        raise EnrolRefused(
            "The knowledge base has none of the articles the training lessons come from, "
            "so there would be no lessons to send. An admin can add the bundled call-craft "
            "articles (knowledge.bundled in app.yaml)."
        )


def prompt_by_day(day: int) -> Prompt | None:
    # Every day of the file, not only this install's: a quiz answer names the day it was
    # asked on, which stays the same whatever the knowledge base holds now.
    return next((prompt for prompt in curriculum() if prompt.day == day), None)


@dataclass(frozen=True)
class Answered:
    choice: int
    correct: bool
    first: bool  # False: this person had already answered; the earlier answer stands


def record_answer(
    engine: Engine, *, prompt_date: dt.date, prompt: Prompt, user_id: str, choice: int
) -> Answered:
    """Store `user_id`'s answer unless they have one for this quiz already.
    Raises ValueError for a choice the question does not have."""
    if not prompt.is_quiz or not 0 <= choice < len(prompt.options):
        raise ValueError(f"day {prompt.day} has no option {choice}")
    row = QuizAnswer(
        prompt_date=prompt_date,
        day=prompt.day,
        user_id=user_id,
        choice=choice,
        correct=choice == prompt.answer,
    )
    try:
        with Session(engine) as session:
            session.add(row)
            session.commit()
        return Answered(choice, choice == prompt.answer, first=True)
    except IntegrityError:
        pass
    with Session(engine) as session:
        earlier = session.exec(
            select(QuizAnswer).where(
                QuizAnswer.prompt_date == prompt_date,
                QuizAnswer.day == prompt.day,
                QuizAnswer.user_id == user_id,
            )
        ).one()
        return Answered(earlier.choice, earlier.correct, first=False)


def training_day(settings: Settings, day: dt.date) -> int:
    """The curriculum day for `day` (0 before the start date)."""
    calendar = WorkingCalendar.from_settings(settings)
    return calendar.working_day_number(settings.training.start_date, day)
