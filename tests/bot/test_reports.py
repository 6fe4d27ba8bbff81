"""The supervisors' reports in the core: the period as whole local days, knowledge gaps
grouped by question, and which suggested edits are still waiting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from bot import reports
from bot.answer import record_feedback, record_suggestion
from bot.kudos import aware
from bot.store import kb, models

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
EVER = {
    "start": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    "end": dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
}


@pytest.mark.parametrize(
    ("now", "tz", "period", "first", "last", "start", "end"),
    [
        # 23:30 on Wednesday 11 March in New York is already the 12th in UTC.
        (
            dt.datetime(2026, 3, 12, 3, 30, tzinfo=dt.UTC),
            NEW_YORK,
            "week",
            dt.date(2026, 3, 5),
            dt.date(2026, 3, 11),
            dt.datetime(2026, 3, 5, 5, tzinfo=dt.UTC),  # midnight EST
            dt.datetime(2026, 3, 12, 4, tzinfo=dt.UTC),  # midnight EDT
        ),
        # Across the clocks going forward in London (29 March): from GMT to BST midnight.
        (
            dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC),
            LONDON,
            "week",
            dt.date(2026, 3, 27),
            dt.date(2026, 4, 2),
            dt.datetime(2026, 3, 27, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 4, 2, 23, tzinfo=dt.UTC),
        ),
        (
            dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC),
            LONDON,
            "month",
            dt.date(2026, 3, 4),
            dt.date(2026, 4, 2),
            dt.datetime(2026, 3, 4, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 4, 2, 23, tzinfo=dt.UTC),
        ),
    ],
)
def test_a_period_is_whole_days_in_the_time_zone_ending_today(
    now, tz, period, first, last, start, end
):
    window = reports.window(period, now=now, tz=tz)

    assert (window.first, window.last, window.start, window.end) == (first, last, start, end)
    assert (window.last - window.first).days + 1 == window.days


def _search(session, query, at, *, user="U0CSR00001", answered=False) -> None:
    session.add(
        models.SearchLog(
            user_id=user, query=query, answered=answered, latency_ms=1.0, created_at=at
        )
    )


def test_gaps_group_a_question_however_it_is_cased_or_spaced(engine):
    at = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
    minute = dt.timedelta(minutes=1)
    with Session(engine) as session:
        _search(session, "bin collection", at, user="U0SAM00001")
        _search(session, "HMO licence", at + minute)
        _search(session, "Bin  Collection", at + 2 * minute, user="U0ALEX0001")
        _search(session, "bin collection", at + 3 * minute, user="U0SAM00001")
        _search(session, "parking fine", at + 4 * minute)
        _search(session, "council tax", at + 5 * minute, answered=True)  # found an answer
        _search(session, "parking fine", at + dt.timedelta(days=9))  # after the period
        session.commit()

    found = reports.gaps(engine, start=at, end=at + dt.timedelta(days=7))

    assert [(gap.query, gap.count, gap.people, gap.last) for gap in found] == [
        ("bin collection", 3, 2, at + 3 * minute),
        ("parking fine", 1, 1, at + 4 * minute),  # ties: the most recently asked first
        ("HMO licence", 1, 1, at + minute),
    ]


def test_no_gaps_is_an_empty_list(engine):
    assert reports.gaps(engine, **EVER) == []


def test_not_helpful_marks_are_counted_per_article_with_reasons_newest_first(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1, owner="Revenues team")])
    for reason in ("Out of date", None, "Wrong fee"):
        record_feedback(
            engine, article_id="test-article-1", user_id="U0A", helpful=False, reason=reason
        )
    record_feedback(engine, article_id="test-article-1", user_id="U0B", helpful=True)
    record_feedback(engine, article_id="test-article-2", user_id="U0B", helpful=True)
    record_feedback(engine, article_id="gone-article", user_id="U0B", helpful=False)

    report = reports.feedback(engine, **EVER, tz=LONDON)

    first, gone = report.unhelpful
    assert (first.article_id, first.title, first.owner) == (
        "test-article-1",
        "Test article number 1",
        "Revenues team",
    )
    assert (first.count, first.helpful, first.reasons) == (3, 1, ("Wrong fee", "Out of date"))
    assert (gone.article_id, gone.title, gone.count) == ("gone-article", None, 1)
    assert report.waiting == []


def test_a_suggestion_waits_until_the_article_is_marked_reviewed_after_it(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1, reviewed=dt.date(2020, 1, 6))])
    record_suggestion(engine, article_id="test-article-1", user_id="U0A", text="Add the fee")
    [waiting] = reports.feedback(engine, **EVER, tz=LONDON).waiting
    assert [s.text for s in waiting.suggestions] == ["Add the fee"]

    kb.mark_reviewed(engine, "test-article-1", day=dt.date(2020, 1, 7), user_id="U0REVIEW01")
    assert reports.feedback(engine, **EVER, tz=LONDON).waiting == []

    record_suggestion(engine, article_id="test-article-1", user_id="U0B", text="And the date")
    record_suggestion(engine, article_id="test-article-1", user_id="U0C", text="And the time")
    [waiting] = reports.feedback(engine, **EVER, tz=LONDON).waiting
    assert [(s.user_id, s.text) for s in waiting.suggestions] == [
        ("U0C", "And the time"),
        ("U0B", "And the date"),
    ]


def test_a_reviewed_date_after_the_suggestions_day_settles_it_and_the_same_day_does_not(
    engine, make_article
):
    kb.import_articles(engine, articles=[make_article(1, reviewed=dt.date(2020, 1, 6))])
    row = record_suggestion(engine, article_id="test-article-1", user_id="U0A", text="Fix")
    day = aware(row.created_at).astimezone(LONDON).date()

    kb.import_articles(engine, articles=[make_article(1, reviewed=day)])
    assert len(reports.feedback(engine, **EVER, tz=LONDON).waiting) == 1  # maybe before it

    kb.import_articles(engine, articles=[make_article(1, reviewed=day + dt.timedelta(days=1))])
    assert reports.feedback(engine, **EVER, tz=LONDON).waiting == []


def test_articles_with_most_suggestions_waiting_come_first(engine, make_article):
    kb.import_articles(
        engine, articles=[make_article(n, reviewed=dt.date(2020, 1, 6)) for n in (1, 2, 3)]
    )
    for article, count in (("test-article-1", 1), ("test-article-2", 2), ("test-article-3", 1)):
        for n in range(count):
            record_suggestion(engine, article_id=article, user_id="U0A", text=f"Edit {n}")

    waiting = reports.feedback(engine, **EVER, tz=LONDON).waiting

    assert [(item.article_id, len(item.suggestions)) for item in waiting] == [
        ("test-article-2", 2),
        ("test-article-3", 1),  # ties: the most recent suggestion first
        ("test-article-1", 1),
    ]
