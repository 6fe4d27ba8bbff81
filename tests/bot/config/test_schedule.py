"""Settings for the scheduled jobs: working days, bank holidays, job times, the curriculum."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "jobs:\n  training_nudge:\n    cron: '0 9 * * 1'\n",
            "jobs.training_nudge.cron: write weekdays as names (mon-fri, sat, sun), not numbers",
        ),
        (
            "jobs:\n  training_nudge:\n    cron: nonsense\n",
            "jobs.training_nudge.cron: expected a cron time of five fields",
        ),
        (
            "jobs:\n  nope:\n    cron: '0 9 * * *'\n",
            "jobs.nope: unknown setting (expected one of: training_nudge, kudos_digest, "
            "search_log_purge, review_reminders, starter_lessons, monthly_figures)",
        ),
        (
            "jobs:\n  training_nudge:\n    grace_minutes: -5\n",
            "jobs.training_nudge.grace_minutes: expected a whole number of minutes between 0 "
            "and 1440, got -5",
        ),
        (
            "holidays:\n  country: GB\n  subdivision: ZZZ\n",
            "holidays: GB has no subdivision 'ZZZ' (expected one of: ENG, NIR, SCT, WLS)",
        ),
        ("holidays:\n  country: XX\n", "holidays: the holidays package has no bank holidays"),
        (
            "working_days: [mon, funday]\n",
            "working_days: expected day names such as mon, tue or monday, got 'funday'",
        ),
        (
            "training:\n  start_date: someday\n",
            "training.start_date: expected a date such as 2026-01-05",
        ),
    ],
    ids=[
        "numeric-weekday",
        "bad-cron",
        "unknown-job",
        "negative-grace",
        "unknown-region",
        "unknown-country",
        "unknown-day",
        "bad-start-date",
    ],
)
def test_a_wrong_schedule_setting_names_its_path(write_config, text, expected):
    path = write_config(text)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert f"{path}: {expected}" in str(caught.value)


def test_schedule_defaults():
    settings = load_settings()
    assert settings.holidays.country == "GB"
    assert settings.training.start_date == dt.date(2026, 1, 5)
    assert settings.jobs.get("training_nudge").cron == "0 9 * * *"
    assert settings.jobs.get("search_log_purge").working_days_only is False


def test_a_job_left_out_keeps_its_defaults(write_config):
    write_config("jobs:\n  kudos_digest:\n    cron: '0 15 * * thu'\n")
    settings = load_settings()
    assert settings.jobs.get("kudos_digest").cron == "0 15 * * thu"
    assert settings.jobs.get("kudos_digest").grace_minutes == 60
    assert settings.jobs.get("training_nudge").cron == "0 9 * * *"
