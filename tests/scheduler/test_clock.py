"""When jobs fire: DST days once at 09:00 local, weekends and bank holidays skipped."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.config.settings import Settings
from scheduler.clock import due_times, fire_times, next_run, trigger_for


def _nudges(settings: Settings, start: dt.date, days: int) -> list[dt.datetime]:
    tz = settings.tz
    begin = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    end = begin + dt.timedelta(days=days)
    return list(fire_times(trigger_for(settings, "training_nudge"), begin, end))


@pytest.mark.parametrize(
    ("zone", "country", "spring", "autumn"),
    [
        ("Europe/London", "GB", dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
        ("America/New_York", "US", dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
    ],
)
def test_a_clock_change_week_has_one_nudge_a_working_day_at_nine_local(
    zone, country, spring, autumn
):
    settings = Settings(
        timezone=zone,
        holidays={"country": country},
        working_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    )
    for change in (spring, autumn):
        times = _nudges(settings, change - dt.timedelta(days=2), 5)

        local = [moment.astimezone(ZoneInfo(zone)) for moment in times]
        assert [moment.date() for moment in local] == [
            change + dt.timedelta(days=offset) for offset in range(-2, 3)
        ]
        assert {(moment.hour, moment.minute) for moment in local} == {(9, 0)}
        offsets = {moment.utcoffset() for moment in local}
        assert len(offsets) == 2  # the clocks did change in the middle


def test_next_run_across_spring_forward_in_london():
    settings = Settings(timezone="Europe/London")
    # Friday 27 March 2026 after the nudge: next is Monday 30 March, 09:00 BST (08:00 UTC).
    upcoming = next_run(settings, "training_nudge", dt.datetime(2026, 3, 27, 12, tzinfo=dt.UTC))

    assert upcoming.astimezone(dt.UTC) == dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC)


def test_weekends_and_english_bank_holidays_are_skipped():
    settings = Settings(timezone="Europe/London", holidays={"country": "GB", "subdivision": "ENG"})

    days = [moment.date() for moment in _nudges(settings, dt.date(2026, 12, 21), 15)]

    # 25 Dec (Christmas), 26-27 Dec (weekend), 28 Dec (Boxing Day, observed), 1 Jan.
    assert days == [
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 22),
        dt.date(2026, 12, 23),
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 29),
        dt.date(2026, 12, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 4),
    ]


def test_the_purge_runs_on_bank_holidays_and_weekends_too():
    settings = Settings(timezone="Europe/London")
    begin = dt.datetime(2026, 12, 24, tzinfo=dt.UTC)

    times = list(
        fire_times(trigger_for(settings, "search_log_purge"), begin, begin + dt.timedelta(days=5))
    )

    assert len(times) == 5


def test_due_times_are_only_those_inside_the_grace_period():
    settings = Settings(jobs={"training_nudge": {"grace_minutes": 30}})
    nine = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # a Monday, GMT

    assert due_times(settings, "training_nudge", nine + dt.timedelta(minutes=29)) == [nine]
    assert due_times(settings, "training_nudge", nine + dt.timedelta(minutes=31)) == []
    assert due_times(settings, "training_nudge", nine - dt.timedelta(minutes=1)) == []
