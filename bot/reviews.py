"""Which articles their owners should look at (core, no Slack): those past their review date
(last reviewed more than twelve months ago, or never), those marked Not helpful in a window
and those CSRs taught a new phrasing in it, grouped by owner, each with its phrasings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.kudos import aware
from bot.store import db, models

REASONS_SHOWN = 3  # the latest few Not helpful reasons per article


def review_overdue(reviewed: dt.date | None, today: dt.date) -> bool:
    """Overdue when last reviewed more than twelve months before `today`, or never."""
    if reviewed is None:
        return True
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return reviewed < year_ago


@dataclass(frozen=True)
class ReviewItem:
    article_id: str
    title: str
    owner: str | None
    reviewed: dt.date | None
    overdue: bool
    not_helpful: int = 0
    reasons: tuple[str, ...] = field(default_factory=tuple)  # newest first
    phrasings: tuple[str, ...] = field(default_factory=tuple)  # newest first
    taught: bool = False  # CSRs taught it a phrasing in the window


def due_for_review(
    engine: Engine, *, today: dt.date, since: dt.datetime, until: dt.datetime
) -> dict[str | None, list[ReviewItem]]:
    """Owner -> their articles to review, by id: overdue on `today`, or marked Not helpful
    or taught a phrasing after `since` and up to `until`. Owners with nothing to review are
    left out."""
    with db.session(engine) as session:
        articles = session.exec(select(models.Article).order_by(models.Article.id)).all()
        rows = session.exec(
            select(models.Feedback)
            .where(
                models.Feedback.helpful == False,  # noqa: E712 - SQL, not Python
                models.Feedback.created_at > since,
                models.Feedback.created_at <= until,
            )
            .order_by(models.Feedback.created_at.desc(), models.Feedback.id.desc())
        ).all()
        unhelpful: dict[str, list[models.Feedback]] = defaultdict(list)
        for row in rows:
            unhelpful[row.article_id].append(row)
        due: dict[str | None, list[ReviewItem]] = defaultdict(list)
        for article in articles:
            overdue = review_overdue(article.reviewed, today)
            marks = unhelpful.get(article.id, [])
            # A wrong phrasing misleads every search that matches it: its owner sees it in
            # the next reminder, not at the article's yearly review.
            taught = bool(article.phrasings) and (
                article.learned_at is not None and since < aware(article.learned_at) <= until
            )
            if not overdue and not marks and not taught:
                continue
            reasons = tuple(row.reason.strip() for row in marks if (row.reason or "").strip())
            due[article.owner].append(
                ReviewItem(
                    article_id=article.id,
                    title=article.title,
                    owner=article.owner,
                    reviewed=article.reviewed,
                    overdue=overdue,
                    not_helpful=len(marks),
                    reasons=reasons[:REASONS_SHOWN],
                    phrasings=tuple(reversed(article.phrasings or ())),
                    taught=taught,
                )
            )
    return dict(due)
