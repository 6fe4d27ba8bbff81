"""The supervisors' reports (core, no Slack): the knowledge gaps (what CSRs searched for and
found no confident answer to) and feedback on answers (articles marked Not helpful, and
suggested edits still waiting for the article's review).

A period is a number of whole days in the configured time zone, today included: a gap list
is a working list, so "week" on a Monday morning still means the last seven days, not the
few hours since midnight.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.kudos import aware
from bot.store.models import Article, ArticleReview, EditSuggestion, Feedback, SearchLog

Period = Literal["week", "month", "quarter", "year"]
DAYS: dict[Period, int] = {"week": 7, "month": 30, "quarter": 91, "year": 365}


@dataclass(frozen=True)
class Window:
    """Whole local days, `first` to `last` (today); `start` and `end` (exclusive) in UTC."""

    period: Period
    first: dt.date
    last: dt.date
    start: dt.datetime
    end: dt.datetime

    @property
    def days(self) -> int:
        return DAYS[self.period]


def window(period: Period, *, now: dt.datetime, tz: dt.tzinfo) -> Window:
    """The `period` ending today (in `tz`), midnight to midnight."""
    last = aware(now).astimezone(tz).date()
    first = last - dt.timedelta(days=DAYS[period] - 1)

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)

    return Window(
        period=period,
        first=first,
        last=last,
        start=midnight(first),
        end=midnight(last + dt.timedelta(days=1)),
    )


# -- knowledge gaps -----------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """One question CSRs searched for without a confident answer (queries that differ only
    in case or spacing are the same question)."""

    query: str  # as most recently searched, already redacted when it was stored
    count: int
    people: int  # how many different CSRs asked it
    last: dt.datetime  # UTC
    # The latest of its searches in the log: what a supervisor links to an article, so the
    # question itself need not travel in Slack's buttons (bot.phrasings.link_search).
    search_id: int | None = None


def _question(query: str) -> str:
    return " ".join(query.split()).casefold()


def gaps(engine: Engine, *, start: dt.datetime, end: dt.datetime) -> list[Gap]:
    """The searches from `start` up to `end` that found no confident answer, grouped by
    question: most asked first, and among equals the most recently asked first."""
    with Session(engine) as session:
        rows = session.exec(
            select(SearchLog.query, SearchLog.user_id, SearchLog.created_at, SearchLog.id)
            .where(
                SearchLog.answered == False,  # noqa: E712 - SQL, not Python
                SearchLog.created_at >= start,
                SearchLog.created_at < end,
            )
            .order_by(col(SearchLog.created_at).desc(), col(SearchLog.id).desc())
        ).all()
    newest: dict[str, tuple[str, dt.datetime, int]] = {}
    counts: dict[str, int] = defaultdict(int)
    people: dict[str, set[str]] = defaultdict(set)
    for query, user_id, created_at, search_id in rows:  # newest first: the first is the latest
        key = _question(query)
        newest.setdefault(key, (" ".join(query.split()), aware(created_at), search_id))
        counts[key] += 1
        people[key].add(user_id)
    found = [
        Gap(
            query=newest[key][0],
            count=counts[key],
            people=len(people[key]),
            last=newest[key][1],
            search_id=newest[key][2],
        )
        for key in newest  # in order of their latest search, newest first
    ]
    return sorted(found, key=lambda gap: -gap.count)  # stable: ties stay newest first


# -- feedback on answers --------------------------------------------------------------------


@dataclass(frozen=True)
class Unhelpful:
    """An article marked Not helpful in the period."""

    article_id: str
    title: str | None  # None: no longer in the knowledge base
    owner: str | None
    count: int  # Not helpful marks in the period
    helpful: int  # Helpful marks in the same period, for balance
    last: dt.datetime  # the latest Not helpful mark (UTC)
    reasons: tuple[str, ...]  # newest first, from the marks that gave one


@dataclass(frozen=True)
class Suggested:
    user_id: str
    text: str
    created_at: dt.datetime  # UTC


@dataclass(frozen=True)
class Waiting:
    """An article with suggested edits made since it was last reviewed."""

    article_id: str
    title: str | None  # None: no longer in the knowledge base
    owner: str | None
    suggestions: tuple[Suggested, ...]  # newest first


@dataclass(frozen=True)
class FeedbackReport:
    unhelpful: list[Unhelpful]  # most marked first, then the most recently marked
    waiting: list[Waiting]  # most suggestions first, then the most recently suggested


def feedback(
    engine: Engine, *, start: dt.datetime, end: dt.datetime, tz: dt.tzinfo
) -> FeedbackReport:
    """Articles marked Not helpful from `start` up to `end`, and every suggested edit still
    waiting, whenever it was made.

    A suggestion waits until the article is reviewed after it: marked reviewed (an
    `article_review` row) later than the suggestion, or given a `reviewed` date (by an
    import) later than the suggestion's day in `tz`."""
    with Session(engine) as session:
        marks = session.exec(
            select(Feedback)
            .where(Feedback.created_at >= start, Feedback.created_at < end)
            .order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc())
        ).all()
        suggestions = session.exec(
            select(EditSuggestion).order_by(
                col(EditSuggestion.created_at).desc(), col(EditSuggestion.id).desc()
            )
        ).all()
        marked_reviewed = dict(
            session.exec(
                select(ArticleReview.article_id, func.max(ArticleReview.created_at)).group_by(
                    ArticleReview.article_id
                )
            ).all()
        )
        ids = {row.article_id for row in marks} | {row.article_id for row in suggestions}
        articles = {
            row.id: row
            for row in session.exec(select(Article).where(col(Article.id).in_(ids))).all()
        }

    def about(article_id: str) -> tuple[str | None, str | None]:
        article = articles.get(article_id)
        return (article.title, article.owner) if article else (None, None)

    waiting = _waiting(suggestions, marked_reviewed=marked_reviewed, articles=articles, tz=tz)
    return FeedbackReport(
        unhelpful=_unhelpful(marks, about),
        waiting=[
            Waiting(article_id=i, title=about(i)[0], owner=about(i)[1], suggestions=rows)
            for i, rows in waiting
        ],
    )


def _unhelpful(
    marks: list[Feedback], about: Callable[[str], tuple[str | None, str | None]]
) -> list[Unhelpful]:
    """Each article marked Not helpful, most marked first, with its Helpful marks beside."""
    not_helpful: dict[str, list[Feedback]] = defaultdict(list)
    helpful: dict[str, int] = defaultdict(int)
    for row in marks:  # newest first
        if row.helpful:
            helpful[row.article_id] += 1
        else:
            not_helpful[row.article_id].append(row)
    unhelpful = [
        Unhelpful(
            article_id=article_id,
            title=about(article_id)[0],
            owner=about(article_id)[1],
            count=len(rows),
            helpful=helpful[article_id],
            last=aware(rows[0].created_at),
            reasons=tuple(row.reason.strip() for row in rows if (row.reason or "").strip()),
        )
        for article_id, rows in not_helpful.items()
    ]
    unhelpful.sort(key=lambda item: -item.count)  # stable: ties stay newest first
    return unhelpful


def _waiting(
    suggestions: list[EditSuggestion],
    *,
    marked_reviewed: dict[str, dt.datetime],
    articles: dict[str, Article],
    tz: dt.tzinfo,
) -> list[tuple[str, tuple[Suggested, ...]]]:
    """Each article's suggestions not yet followed by a review, most suggestions first."""
    waiting_rows: dict[str, list[Suggested]] = defaultdict(list)
    for row in suggestions:  # newest first
        made = aware(row.created_at)
        reviewed_at = marked_reviewed.get(row.article_id)
        if reviewed_at is not None and aware(reviewed_at) > made:
            continue
        article = articles.get(row.article_id)
        if article and article.reviewed and article.reviewed > made.astimezone(tz).date():
            continue
        waiting_rows[row.article_id].append(
            Suggested(user_id=row.user_id, text=row.text, created_at=made)
        )
    waiting = [(article_id, tuple(rows)) for article_id, rows in waiting_rows.items()]
    waiting.sort(key=lambda item: -len(item[1]))
    return waiting
