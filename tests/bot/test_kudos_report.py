"""What was given: the leaderboard and its fair ties, what one person received, their totals,
the CSV export and the weekly digest; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from bot import kudos_report
from bot.kudos import create_kudos
from bot.kudos_report import Standing
from bot.kudos_text import Draft

LONDON = ZoneInfo("Europe/London")
# Wednesday 25 November 2026, midday in London.
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def give(engine):
    serial = iter(range(10_000))

    def give(giver, recipients, *, at, message="for a really great call", value=None, boss=False):
        return create_kudos(
            engine,
            Draft(tuple(recipients), message, value),
            giver_id=giver,
            request_key=f"k{next(serial)}",
            channel="C0KUDOS001",
            giver_tz=LONDON,
            allowance=50,
            from_supervisor=boss,
            now=at,
        )[0]

    return give


def ago(**delta) -> dt.datetime:
    return NOW - dt.timedelta(**delta)


def test_the_leaderboard_counts_received_and_given_in_the_period(engine, give):
    give("U0GIVER1", ["U0ALEX", "U0SAM"], at=ago(hours=1))
    give("U0GIVER2", ["U0ALEX"], at=ago(days=1))
    give("U0GIVER1", ["U0SAM"], at=ago(days=3))  # Sunday: last week
    give("U0GIVER3", ["U0JO"], at=ago(days=40))

    week = kudos_report.leaderboard(engine, "week", tz=LONDON, now=NOW)
    month = kudos_report.leaderboard(engine, "month", tz=LONDON, now=NOW)
    ever = kudos_report.leaderboard(engine, "all", tz=LONDON, now=NOW)

    assert week.received == [Standing(1, "U0ALEX", 2), Standing(2, "U0SAM", 1)]
    # A tie: U0GIVER2 got there first.
    assert week.given == [Standing(1, "U0GIVER2", 1), Standing(1, "U0GIVER1", 1)]
    assert month.received == [Standing(1, "U0ALEX", 2), Standing(1, "U0SAM", 2)]
    assert [s.user_id for s in ever.received] == ["U0ALEX", "U0SAM", "U0JO"]


def test_ties_share_a_rank_and_whoever_got_there_first_leads_it(engine, give):
    give("U0G1", ["U0LATE"], at=ago(hours=1))
    give("U0G1", ["U0EARLY"], at=ago(hours=5))
    give("U0G2", ["U0TOP"], at=ago(hours=6))
    give("U0G3", ["U0TOP"], at=ago(hours=7))
    give("U0G3", ["U0LAST"], at=ago(hours=8))
    give("U0G3", ["U0LAST"], at=ago(hours=9))
    give("U0G4", ["U0FIFTH"], at=ago(hours=2))

    board = kudos_report.leaderboard(engine, "week", tz=LONDON, now=NOW, limit=3)

    assert board.received == [
        Standing(1, "U0LAST", 2),  # reached 2 before U0TOP did
        Standing(1, "U0TOP", 2),
        Standing(3, "U0EARLY", 1),
        Standing(3, "U0FIFTH", 1),
        Standing(3, "U0LATE", 1),  # a tie at the last rank is shown whole
    ]


def test_the_week_starts_on_monday_in_the_configured_time_zone():
    # 23:30 UTC on Sunday 29 March 2026 is 00:30 BST on Monday.
    start = kudos_report.period_start(
        "week", tz=LONDON, now=dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC)
    )

    assert start == dt.datetime(2026, 3, 29, 23, 0, tzinfo=dt.UTC)


def test_received_is_newest_first_and_only_the_persons_own(engine, give):
    give("U0G1", ["U0ALEX"], at=ago(days=2), message="older kudos message here")
    give("U0G2", ["U0ALEX", "U0SAM"], at=ago(hours=1), message="newer kudos message here")
    give("U0G3", ["U0SAM"], at=ago(hours=2))

    mine = kudos_report.received(engine, "U0ALEX")

    assert [k.message for k in mine] == ["newer kudos message here", "older kudos message here"]
    assert mine[0].recipients == ("U0ALEX", "U0SAM")


def test_totals_count_this_week_this_month_ever_and_given(engine, give):
    give("U0G1", ["U0ALEX"], at=ago(hours=1))
    give("U0G1", ["U0ALEX"], at=ago(days=5))
    give("U0G1", ["U0ALEX"], at=ago(days=60))
    give("U0ALEX", ["U0SAM"], at=ago(days=1))

    totals = kudos_report.totals(engine, "U0ALEX", tz=LONDON, now=NOW)

    assert totals == kudos_report.Totals(week=1, month=2, all=3, given=1)


def test_the_export_is_one_row_per_recipient_from_the_date_on(engine, give):
    give("U0G1", ["U0OLD"], at=dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC))  # 31 Oct
    give("U0BOSS", ["U0ALEX", "U0SAM"], at=ago(days=1), value="culture", boss=True)
    give("U0G1", ["U0JO"], at=ago(hours=1), message='=HYPERLINK("http://x") was a star, "quoted"')
    out = io.StringIO()

    count = kudos_report.export_csv(engine, out, since=dt.date(2026, 11, 1), tz=LONDON)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == 2
    assert list(rows[0]) == list(kudos_report.EXPORT_COLUMNS)
    assert [(r["giver"], r["recipient"]) for r in rows] == [
        ("U0BOSS", "U0ALEX"),
        ("U0BOSS", "U0SAM"),
        ("U0G1", "U0JO"),
    ]
    assert rows[0]["created_at"] == "2026-11-24T12:00:00+00:00"
    assert (rows[0]["value"], rows[0]["from_supervisor"], rows[0]["posted"]) == (
        "culture",
        "yes",
        "no",
    )
    # A spreadsheet must not run a message as a formula.
    assert rows[2]["message"] == '\'=HYPERLINK("http://x") was a star, "quoted"'


def test_the_weekly_digest_groups_by_value_and_thanks_the_givers(engine, give):
    monday = dt.date(2026, 11, 23)
    give("U0G1", ["U0ALEX"], at=ago(days=2), value="delivery")
    give("U0G2", ["U0SAM"], at=ago(days=1), value="culture")
    give("U0G2", ["U0JO"], at=ago(hours=3))
    give("U0G3", ["U0ALEX"], at=ago(hours=2), value="culture")
    give("U0G9", ["U0ALEX"], at=ago(days=4), value="culture")  # the week before

    digest = kudos_report.weekly_digest(
        engine, week_start=monday, tz=LONDON, values=["culture", "delivery"]
    )

    assert (digest.start, digest.end, digest.total) == (monday, dt.date(2026, 11, 29), 4)
    assert [(value, [k.giver_id for k in kudos]) for value, kudos in digest.groups] == [
        ("culture", ["U0G2", "U0G3"]),
        ("delivery", ["U0G1"]),
        (None, ["U0G2"]),
    ]
    assert digest.givers == [("U0G2", 2), ("U0G1", 1), ("U0G3", 1)]


def test_a_week_with_no_kudos_is_an_empty_digest(engine):
    digest = kudos_report.weekly_digest(engine, week_start=dt.date(2026, 11, 23), tz=LONDON)

    assert (digest.total, digest.groups, digest.givers) == (0, [], [])
