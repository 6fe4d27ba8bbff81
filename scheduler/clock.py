"""When jobs fire: cron times in app.yaml's time zone, on working days only, skipping bank
holidays. Pure functions of explicit times, so tests never wait for a clock.

APScheduler's CronTrigger works in local wall-clock time, so 09:00 stays 09:00 across a clock
change and a day with a DST change still has exactly one 09:00.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.config.schedule import JOB_DEFAULTS, JobSettings
from bot.config.settings import Settings
from bot.workdays import WorkingCalendar

SEARCH_DAYS = 400  # a trigger that finds no working day in this long never fires
LOOKBACK = dt.timedelta(days=8)  # how far back start-up looks for a missed run to report

log = logging.getLogger(__name__)


class WorkingDayTrigger(BaseTrigger):
    """A cron trigger that skips days the calendar says are not working days (and, with
    `first_working_day`, every day but the first working day of its month)."""

    def __init__(
        self,
        job: str,
        cron: CronTrigger,
        calendar: WorkingCalendar | None,
        *,
        first_working_day: bool = False,
    ) -> None:
        self.job = job
        self.cron = cron
        self.calendar = calendar
        self.first_working_day = first_working_day

    def get_next_fire_time(self, previous_fire_time, now):
        moment = self.cron.get_next_fire_time(previous_fire_time, now)
        if self.calendar is None:
            return moment
        limit = now + dt.timedelta(days=SEARCH_DAYS)
        while moment is not None and moment <= limit:
            day = moment.date()
            reason = self.calendar.why_not(day)
            if reason is None and self.first_working_day:
                first = self.calendar.first_working_day(day)
                if first != day:
                    reason = f"not the first working day of the month ({first})"
            if reason is None:
                return moment
            # Debug, not info: a weekend is no news, and a start lists a month of them.
            log.debug("%s: skipping %s: %s", self.job, moment.isoformat(), reason)
            # The next cron time after this one (CronTrigger counts from `now`, inclusive).
            moment = self.cron.get_next_fire_time(moment, moment + dt.timedelta(seconds=1))
        return None

    def __str__(self) -> str:
        if self.first_working_day:
            return f"{self.cron} on the first working day of the month"
        return f"{self.cron} on working days"


def job_settings(settings: Settings, job: str) -> JobSettings:
    if job not in JOB_DEFAULTS:
        raise KeyError(job)
    return settings.jobs.get(job)


def trigger_for(settings: Settings, job: str) -> BaseTrigger:
    config = job_settings(settings, job)
    cron = CronTrigger.from_crontab(config.cron, timezone=settings.tz)
    needs_calendar = config.working_days_only or config.first_working_day
    calendar = WorkingCalendar.from_settings(settings) if needs_calendar else None
    return WorkingDayTrigger(job, cron, calendar, first_working_day=config.first_working_day)


def fire_times(trigger: BaseTrigger, start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    """Every fire time from `start` to `end`, both included, in order."""
    moment = trigger.get_next_fire_time(None, start)
    while moment is not None and moment <= end:
        yield moment
        moment = trigger.get_next_fire_time(moment, moment + dt.timedelta(seconds=1))


def next_run(settings: Settings, job: str, now: dt.datetime) -> dt.datetime | None:
    """The job's next fire time after `now` (in settings.tz), or None if it never fires."""
    if not job_settings(settings, job).enabled:
        return None
    return trigger_for(settings, job).get_next_fire_time(None, now)


def due_times(settings: Settings, job: str, now: dt.datetime) -> list[dt.datetime]:
    """The fire times still within the job's grace period at `now`: the runs that should be
    sent (once) if they have not been."""
    config = job_settings(settings, job)
    grace = dt.timedelta(minutes=config.grace_minutes)
    return list(fire_times(trigger_for(settings, job), now - grace, now))


def last_missed(settings: Settings, job: str, now: dt.datetime) -> dt.datetime | None:
    """The latest fire time older than the grace period (looking back a week or so)."""
    config = job_settings(settings, job)
    grace = dt.timedelta(minutes=config.grace_minutes)
    times = list(fire_times(trigger_for(settings, job), now - LOOKBACK, now - grace))
    times = [moment for moment in times if moment < now - grace]
    return times[-1] if times else None


def to_utc(moment: dt.datetime) -> dt.datetime:
    """A database time back as aware UTC (SQLite hands back naive UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
