"""Which articles are due for review, and marking one reviewed (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from bot.answer import record_feedback
from bot.phrasings import learn_phrasing
from bot.reviews import due_for_review
from bot.store import kb, models

TODAY = dt.date(2026, 3, 2)
SINCE = dt.datetime(2026, 2, 23, 9, tzinfo=dt.UTC)
UNTIL = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def _feedback(engine, article_id, *, at, helpful=False, reason=None) -> None:
    row = record_feedback(engine, article_id=article_id, user_id="U0CSR00001", helpful=helpful)
    with Session(engine) as session:
        stored = session.get(models.Feedback, row.id)
        stored.created_at, stored.reason = at, reason
        session.commit()


def test_overdue_never_reviewed_and_not_helpful_articles_are_due_by_owner(engine, make_article):
    kb.import_articles(
        engine,
        articles=[
            make_article(1, reviewed=dt.date(2025, 3, 1)),  # a year and a day: overdue
            make_article(2, reviewed=dt.date(2025, 3, 2)),  # exactly a year: not yet
            make_article(3, reviewed=None, owner="Revenues team"),
            make_article(4, reviewed=dt.date(2026, 1, 1)),
            make_article(5, reviewed=dt.date(2026, 1, 1)),
        ],
    )
    _feedback(engine, "test-article-4", at=UNTIL - dt.timedelta(days=1), reason="out of date")
    _feedback(engine, "test-article-4", at=UNTIL - dt.timedelta(days=2))
    _feedback(engine, "test-article-5", at=SINCE - dt.timedelta(hours=1))  # told last week
    _feedback(engine, "test-article-2", at=UNTIL - dt.timedelta(days=1), helpful=True)

    due = due_for_review(engine, today=TODAY, since=SINCE, until=UNTIL)

    assert {owner: [i.article_id for i in items] for owner, items in due.items()} == {
        "Housing team": ["test-article-1", "test-article-4"],
        "Revenues team": ["test-article-3"],
    }
    unhelpful = due["Housing team"][1]
    assert (unhelpful.overdue, unhelpful.not_helpful, unhelpful.reasons) == (
        False,
        2,
        ("out of date",),
    )
    assert due["Revenues team"][0].overdue and due["Revenues team"][0].reviewed is None


def test_marking_reviewed_sets_the_date_records_who_and_bumps_the_version(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1, reviewed=dt.date(2024, 1, 1))])
    before = kb.knowledge_version(engine)

    assert kb.mark_reviewed(engine, "test-article-1", day=TODAY, user_id="U0OWNER001")

    [article] = kb.load_from_db(engine)
    assert article.reviewed == TODAY
    assert kb.knowledge_version(engine) == before + 1
    with Session(engine) as session:
        [review] = session.exec(select(models.ArticleReview)).all()
    assert (review.article_id, review.user_id, review.reviewed) == (
        "test-article-1",
        "U0OWNER001",
        TODAY,
    )
    assert due_for_review(engine, today=TODAY, since=SINCE, until=UNTIL) == {}


def test_marking_an_unknown_article_changes_nothing(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1)])
    before = kb.knowledge_version(engine)

    assert not kb.mark_reviewed(engine, "no-such-article", day=TODAY, user_id="U0OWNER001")

    assert kb.knowledge_version(engine) == before
    with Session(engine) as session:
        assert session.exec(select(models.ArticleReview)).all() == []


def test_an_article_taught_a_phrasing_since_the_last_reminder_is_due_with_its_phrasings(
    engine, make_article
):
    kb.import_articles(
        engine,
        articles=[
            make_article(1, reviewed=dt.date(2026, 1, 1)),  # taught this week
            make_article(2, reviewed=dt.date(2026, 1, 1)),  # taught before the last reminder
            make_article(3, reviewed=None, phrasings=("from the file",)),  # overdue anyway
        ],
    )
    learn_phrasing(engine, article_id="test-article-1", query="bins late", now=UNTIL)
    learn_phrasing(
        engine, article_id="test-article-1", query="bin day moved", now=UNTIL - dt.timedelta(1)
    )
    learn_phrasing(engine, article_id="test-article-2", query="old lesson", now=SINCE)

    due = due_for_review(engine, today=TODAY, since=SINCE, until=UNTIL)

    taught, overdue = due["Housing team"]
    assert (taught.article_id, taught.taught, taught.overdue) == ("test-article-1", True, False)
    assert taught.phrasings == ("bin day moved", "bins late")  # newest first: the last stored
    assert (overdue.article_id, overdue.taught) == ("test-article-3", False)
    assert overdue.phrasings == ("from the file",)
