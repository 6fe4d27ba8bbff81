"""The monthly figures (core, no Slack): for each CSR and for the team, the month's answers
looked up, gaps found, helpful ratio, kudos given and received, and quiz accuracy; and the
chart the supervisors get, drawn as PNG bytes.

The team is everyone who did anything that month: there are no team settings yet, so there
is one team. A month is the calendar month in the configured time zone, midnight to
midnight, so each row counts in exactly one month's figures.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.store.models import Feedback, Kudos, KudosRecipient, QuizAnswer, SearchLog

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

    @property
    def helpful_ratio(self) -> float | None:
        """Helpful / all feedback given; None when none was given (not 0%)."""
        return self.helpful / self.feedback if self.feedback else None

    @property
    def quiz_accuracy(self) -> float | None:
        return self.quiz_right / self.quiz_answered if self.quiz_answered else None

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in _COUNTS})


_COUNTS = tuple(Figures.__dataclass_fields__)


@dataclass(frozen=True)
class Month:
    first: dt.date  # the 1st of the month
    people: dict[str, Figures]  # user id -> figures, only those with any activity
    team: Figures

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


def previous_month(day: dt.date) -> dt.date:
    """The 1st of the month before the one `day` is in."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1)


def month_bounds(first: dt.date, *, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the calendar month beginning `first`, local midnight to midnight."""
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(following, dt.time(), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def monthly_figures(engine: Engine, *, month: dt.date, tz: dt.tzinfo) -> Month:
    """Everyone's figures for the calendar month containing `month`, in `tz`."""
    first = month.replace(day=1)
    start, end = month_bounds(first, tz=tz)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    counts: dict[str, Counter] = {}

    def add(rows: Iterable[tuple], *names: str) -> None:
        for user_id, *values in rows:
            counter = counts.setdefault(user_id, Counter())
            for name, value in zip(names, values, strict=True):
                counter[name] += int(value)

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
    people = {user: Figures(**counts[user]) for user in sorted(counts)}
    team = sum(people.values(), Figures())
    return Month(first=first, people=people, team=team)


def percent(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.0%}"


def chart_png(month: Month) -> bytes:
    """A bar chart of each person's looked up, gaps and kudos received, and their helpful
    ratio and quiz accuracy, as PNG bytes (drawn in memory; no display needed). People are
    labelled by Slack user id: the post beside it names them."""
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: a server has no display
    from matplotlib.figure import Figure

    people = list(month.people) or [TEAM]
    rows = [month.people.get(user, Figures()) for user in people]
    figure = Figure(figsize=(max(6.0, 0.9 * len(people) + 2), 6.5), dpi=100)
    counts, ratios = figure.subplots(2, 1, sharex=True)
    width = 0.27
    positions = range(len(people))
    for offset, (title, values) in enumerate(
        (
            ("Answers looked up", [row.looked_up for row in rows]),
            ("Gaps found", [row.gaps for row in rows]),
            ("Kudos received", [row.kudos_received for row in rows]),
        )
    ):
        counts.bar([p + (offset - 1) * width for p in positions], values, width, label=title)
    counts.set_title(f"Monthly figures, {month.label}")
    counts.legend(loc="upper right", fontsize="small")
    for offset, (title, values) in enumerate(
        (
            ("Helpful ratio", [row.helpful_ratio for row in rows]),
            ("Quiz accuracy", [row.quiz_accuracy for row in rows]),
        )
    ):
        shown = [100 * value if value is not None else 0 for value in values]
        ratios.bar([p + (offset - 0.5) * width for p in positions], shown, width, label=title)
    ratios.set_ylim(0, 100)
    ratios.set_ylabel("%")
    ratios.legend(loc="upper right", fontsize="small")
    ratios.set_xticks(list(positions), people, rotation=30, ha="right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
