"""The running scheduler: APScheduler jobs built from app.yaml, every run through the claim.

Each cron fire, and a sweep every few minutes, sends every run of a job that is still within
its grace period and not yet claimed (or failed, for a retry). So a run missed while the bot
was down is sent once when it starts if the grace period has not passed, a failed post is
tried again within it, and any number of scheduler processes post once. Runs older than the
grace period are skipped, and start-up logs the last one it missed.

Started in the Socket Mode process and in gunicorn's master (never in its workers), or alone
by `deskmate scheduler`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config.schedule import JOB_DEFAULTS
from bot.config.settings import Settings
from bot.store import db
from bot.store.models import utcnow
from scheduler import clock
from scheduler.delivery import JobContext
from scheduler.jobs import JOBS
from scheduler.kudos import KUDOS_RETRY_MINUTES, retry_kudos
from scheduler.runs import Outcome, ever_ran, get_run, run_once

SWEEP_JOB = "sweep"
KUDOS_JOB = "kudos_retry"
SWEEP_MINUTES = 5
HTTP_START_DELAY = 60  # seconds: gunicorn has booted its workers by then

log = logging.getLogger(__name__)


class UnknownJob(KeyError):
    pass


@dataclass(frozen=True)
class Ran:
    job: str
    scheduled_for: dt.datetime
    outcome: Outcome


def job_ids() -> list[str]:
    return list(JOB_DEFAULTS)


def run_job(
    ctx: JobContext,
    job: str,
    scheduled_for: dt.datetime,
    *,
    retry: bool = True,
    retry_skipped: bool = False,
) -> Outcome:
    """Run `job` for `scheduled_for` now, if nobody has claimed that run (or it failed, or,
    with `retry_skipped`, it was skipped for want of a setting)."""
    if job not in JOBS:
        raise UnknownJob(job)
    return run_once(
        ctx.engine,
        job,
        scheduled_for,
        lambda: JOBS[job](ctx, scheduled_for),
        retry=retry,
        retry_skipped=retry_skipped,
    )


def run_due(ctx: JobContext, now: dt.datetime, jobs: list[str] | None = None) -> list[Ran]:
    """Send every enabled job's runs that are due and within grace at `now` (once each)."""
    ran = []
    for job in jobs or job_ids():
        if not ctx.settings.jobs.get(job).enabled:
            continue
        for moment in clock.due_times(ctx.settings, job, now):
            outcome = run_job(ctx, job, moment)
            if outcome is not Outcome.TAKEN:
                log.info("%s for %s: %s", job, moment.isoformat(), outcome.value)
            ran.append(Ran(job, moment, outcome))
    return ran


def report_missed(ctx: JobContext, now: dt.datetime) -> list[Ran]:
    """Log each job's last run that was missed for longer than its grace period. On a
    database no job has ever run in, nothing was missed: those runs came before Deskmate."""
    if not ever_ran(ctx.engine):
        log.info("first start on this database: scheduled posts begin from now")
        return []
    missed = []
    for job in job_ids():
        config = ctx.settings.jobs.get(job)
        if not config.enabled:
            continue
        moment = clock.last_missed(ctx.settings, job, now)
        if moment is not None and get_run(ctx.engine, job, moment) is None:
            log.warning(
                "%s for %s was missed while Deskmate was not running, more than its grace "
                "period of %d minutes ago; skipped",
                job,
                moment.isoformat(),
                config.grace_minutes,
            )
            missed.append(Ran(job, moment, Outcome.TAKEN))
    return missed


def start_up(ctx: JobContext, now: dt.datetime) -> list[Ran]:
    """What a scheduler does when it starts: log older misses, send recent ones."""
    report_missed(ctx, now)
    return run_due(ctx, now)


def _in_own_context(settings: Settings, work: Callable[[JobContext], object]) -> None:
    # An engine of its own for each run: this may run in gunicorn's master process, and a
    # pooled connection must not be there to be inherited when it forks a worker.
    engine = db.make_engine(settings.database.url)
    try:
        db.upgrade(engine)  # cheap when already at the newest revision
        work(JobContext(settings=settings, engine=engine))
    except Exception:
        log.exception("the scheduler could not run its jobs; it will try again shortly")
    finally:
        engine.dispose()


def _tick(settings: Settings, job: str) -> None:
    _in_own_context(settings, lambda ctx: run_due(ctx, utcnow(), [job]))


def _sweep(settings: Settings) -> None:
    _in_own_context(settings, lambda ctx: run_due(ctx, utcnow()))


def _start_up(settings: Settings) -> None:
    _in_own_context(settings, lambda ctx: start_up(ctx, utcnow()))


def build_scheduler(
    settings: Settings, *, blocking: bool = False, start_delay: float = 0
) -> BaseScheduler:
    """A scheduler (not yet started) with every enabled job, the sweep and the kudos retry;
    its first act when started (after `start_delay` seconds) is the start-up catch-up.

    gunicorn's master gives a delay so that the catch-up's database work is not under way
    in a thread while the master forks its workers."""
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(timezone=settings.tz)

    def add(work: Callable[..., None], trigger, job_id: str, name: str, *args: str, **options):
        # One run at a time; fires missed while one ran collapse into one (the run itself
        # works out what is due, so nothing is lost).
        scheduler.add_job(
            work,
            trigger,
            args=[settings, *args],
            id=job_id,
            name=name,
            coalesce=True,
            max_instances=1,
            **options,
        )

    for job in job_ids():
        if not settings.jobs.get(job).enabled:
            log.info("%s is turned off in app.yaml", job)
            continue
        # The tick itself works out which runs are due, so a late tick loses nothing.
        add(_tick, clock.trigger_for(settings, job), job, job, job, misfire_grace_time=None)
    add(
        _sweep,
        IntervalTrigger(minutes=SWEEP_MINUTES),
        SWEEP_JOB,
        "send runs due within their grace period",
    )
    add(
        retry_kudos,
        IntervalTrigger(minutes=KUDOS_RETRY_MINUTES),
        KUDOS_JOB,
        "post kudos whose post failed",
    )
    start = DateTrigger(utcnow() + dt.timedelta(seconds=start_delay)) if start_delay else None
    add(_start_up, start, "start_up", "catch up on start", misfire_grace_time=None)
    return scheduler
