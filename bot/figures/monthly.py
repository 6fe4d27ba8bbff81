"""The monthly figures (core, no Slack): for each CSR, each team and the whole centre, the
month's answers looked up, gaps found, helpful ratio, kudos given and received and quiz
accuracy, and, from the phone system and the survey (bot.figures.imports), calls handled,
average handle time, first-contact resolution, transfers and survey ratings; and the chart
the supervisors get, drawn as PNG bytes.

A team is app.yaml's `teams:`; the whole centre is everyone who did anything that month. A
month is the calendar month in the configured time zone, midnight to midnight, so each row
counts in exactly one month's figures (the phone system's rows by their own date).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config.figures import Team
from bot.figures.imports import agent_users
from bot.store.models import (
    AgentDay,
    Feedback,
    Kudos,
    KudosRecipient,
    QuizAnswer,
    SearchLog,
    SurveyCard,
)

TEAM = "team"  # the key of the everyone row


@dataclass(frozen=True)
class Figures:
    """One person's month (or the team's, summed)."""

    looked_up: int = 0  # /answer searches (search_log rows)
    gaps: int = 0  # of those, with no confident answer
    helpful: int = 0  # feedback this person gave marked Helpful
    feedback: int = 0  # all feedback this person gave
    kudos_given: int = 0
    kudos_received: int = 0
    quiz_right: int = 0
    quiz_answered: int = 0
    # From the phone system: calls handled, and the handle time over all of them (each
    # day's average times its calls) so a month's average weighs each call once.
    calls: int = 0
    handle_seconds: float = 0.0
    resolved_first: int = 0
    resolution_calls: int = 0  # calls on the days first-contact resolution was reported
    transfers: int = 0
    # From the survey: cards, and how many were rated five.
    cards: int = 0
    fives: int = 0

    @property
    def helpful_ratio(self) -> float | None:
        """Helpful / all feedback given; None when none was given (not 0%)."""
        return self.helpful / self.feedback if self.feedback else None

    @property
    def quiz_accuracy(self) -> float | None:
        return self.quiz_right / self.quiz_answered if self.quiz_answered else None

    @property
    def handle_minutes(self) -> float | None:
        """Average handle time over the month's calls; None with no calls."""
        return self.handle_seconds / self.calls / 60 if self.calls else None

    @property
    def first_contact_resolution(self) -> float | None:
        return self.resolved_first / self.resolution_calls if self.resolution_calls else None

    @property
    def satisfaction(self) -> float | None:
        """The share of survey cards rated five (the goal: every contact a five)."""
        return self.fives / self.cards if self.cards else None

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in _COUNTS})


_COUNTS = tuple(Figures.__dataclass_fields__)


@dataclass(frozen=True)
class Month:
    first: dt.date  # the 1st of the month
    people: dict[str, Figures]  # user id -> figures, only those with any activity
    team: Figures  # the whole centre: everyone's, summed
    teams: dict[str, Figures] = field(default_factory=dict)  # app.yaml's teams, by name

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


def previous_month(day: dt.date) -> dt.date:
    """The 1st of the month before the one `day` is in."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1)


def next_month(first: dt.date) -> dt.date:
    """The 1st of the month after the one `first` is in."""
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_bounds(first: dt.date, *, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the calendar month beginning `first`, local midnight to midnight."""
    following = next_month(first)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(following, dt.time(), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def monthly_figures(
    engine: Engine,
    *,
    month: dt.date,
    tz: dt.tzinfo,
    agents: Mapping[str, str] | None = None,
    teams: Sequence[Team] = (),
) -> Month:
    """Everyone's figures for the calendar month containing `month`, in `tz`. The phone
    system's and survey's rows count for the Slack user their agent is matched to
    (`agents`: app.yaml's figures.agents; matches by e-mail are read here); an agent not
    matched yet counts for no one."""
    first = month.replace(day=1)
    start, end = month_bounds(first, tz=tz)
    following = next_month(first)
    counts: dict[str, Counter] = {}

    def add(rows: Iterable[tuple], *names: str) -> None:
        for user_id, *values in rows:
            counter = counts.setdefault(user_id, Counter())
            for name, value in zip(names, values, strict=True):
                counter[name] += value

    with Session(engine) as session:
        searches = session.exec(
            select(SearchLog.user_id, SearchLog.answered).where(
                SearchLog.created_at >= start, SearchLog.created_at < end
            )
        ).all()
        add(((user, 1, not answered) for user, answered in searches), "looked_up", "gaps")
        feedback = session.exec(
            select(Feedback.user_id, Feedback.helpful).where(
                Feedback.created_at >= start, Feedback.created_at < end
            )
        ).all()
        add(((user, helpful, 1) for user, helpful in feedback), "helpful", "feedback")
        given = session.exec(
            select(Kudos.giver_id).where(Kudos.created_at >= start, Kudos.created_at < end)
        ).all()
        add(((user, 1) for user in given), "kudos_given")
        received = session.exec(
            select(KudosRecipient.user_id)
            .join(Kudos, col(Kudos.id) == col(KudosRecipient.kudos_id))
            .where(Kudos.created_at >= start, Kudos.created_at < end)
        ).all()
        add(((user, 1) for user in received), "kudos_received")
        # A quiz counts in the month it was posted (its local date), not when pressed.
        answers = session.exec(
            select(QuizAnswer.user_id, QuizAnswer.correct).where(
                QuizAnswer.prompt_date >= first, QuizAnswer.prompt_date < following
            )
        ).all()
        add(((user, right, 1) for user, right in answers), "quiz_right", "quiz_answered")
    users = agent_users(engine, agents=agents or {})
    add(_calls(engine, users, first, following), *_CALL_COUNTS)
    add(_cards(engine, users, first, following), "cards", "fives")
    people = {user: Figures(**counts[user]) for user in sorted(counts)}
    team = sum(people.values(), Figures())
    by_team = {
        each.name: sum((people[u] for u in each.members if u in people), Figures())
        for each in teams
    }
    return Month(first=first, people=people, team=team, teams=by_team)


_CALL_COUNTS = ("calls", "handle_seconds", "resolved_first", "resolution_calls", "transfers")


def day_figures(day: AgentDay) -> Figures:
    """What one agent's day from the phone system counts for: its handle time over all its
    calls (so a month's average weighs each call once), and first-contact resolution only
    over the days that reported it."""
    return Figures(
        calls=day.calls,
        handle_seconds=day.handle_seconds * day.calls,
        resolved_first=day.resolved_first or 0,
        resolution_calls=day.calls if day.resolved_first is not None else 0,
        transfers=day.transfers or 0,
    )


def _calls(engine: Engine, users: Mapping[str, str], first: dt.date, following: dt.date):
    """(user, each of _CALL_COUNTS) for each matched agent's day in the month."""
    with Session(engine) as session:
        days = session.exec(
            select(AgentDay).where(AgentDay.day >= first, AgentDay.day < following)
        ).all()
    for day in days:
        user = users.get(day.agent)
        if user is not None:
            counted = day_figures(day)
            yield (user, *(getattr(counted, name) for name in _CALL_COUNTS))


def _cards(engine: Engine, users: Mapping[str, str], first: dt.date, following: dt.date):
    with Session(engine) as session:
        cards = session.exec(
            select(SurveyCard.agent, SurveyCard.rating).where(
                SurveyCard.day >= first, SurveyCard.day < following
            )
        ).all()
    for agent, rating in cards:
        if agent in users:
            yield users[agent], 1, rating == 5


def percent(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.0%}"
