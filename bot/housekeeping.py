"""Housekeeping for the long-running modes: drop search logs past their retention nightly,
and every few minutes post any kudos whose post failed (bot.kudos claims each, so several
processes doing this post it once).

Searches may hold callers' details even after redaction misses something, so they are kept
only `logs.retention_days`. Purging twice is harmless, so every process that runs the
scheduler may do it; the scheduling issue will give jobs their exactly-once claim.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from bot import db
from bot.answers import purge_search_logs
from bot.settings import Settings

PURGE_HOUR, PURGE_MINUTE = 2, 30  # local time: quiet in any contact centre
PURGE_JOB = "purge-search-logs"
KUDOS_JOB = "retry-kudos-posts"
KUDOS_RETRY_MINUTES = 5

log = logging.getLogger(__name__)


def purge_expired_search_logs(
    engine: Engine, settings: Settings, *, now: dt.datetime | None = None
) -> int:
    """Delete search logs older than the retention; returns how many went."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=settings.logs.retention_days)
    return purge_search_logs(engine, older_than=cutoff)


def _nightly_purge(settings: Settings) -> None:
    # An engine of its own for each run: this may run in gunicorn's master process, and a
    # pooled connection must not be there to be inherited when it forks a worker.
    engine = db.make_engine(settings.database.url)
    try:
        removed = purge_expired_search_logs(engine, settings)
        log.info("purged %d search logs older than %d days", removed, settings.logs.retention_days)
    except Exception:
        log.exception("could not purge old search logs; will try again tomorrow")
    finally:
        engine.dispose()


def _retry_kudos(settings: Settings) -> None:
    from bot.app import make_client  # the Slack side, only when the job runs
    from handlers.kudos import retry_unposted

    engine = db.make_engine(settings.database.url)
    try:
        client = make_client(os.environ.get("SLACK_BOT_TOKEN"))
        posted = retry_unposted(engine, client, log)
        if posted:
            log.info("posted %d kudos whose first post had failed", posted)
    except Exception:
        log.exception(
            "could not retry kudos posts; will try again in %d minutes", KUDOS_RETRY_MINUTES
        )
    finally:
        engine.dispose()


def housekeeping_scheduler(settings: Settings) -> BackgroundScheduler:
    """A scheduler (not yet started) with the nightly purge at 02:30 in `settings.tz` and
    the kudos retry every few minutes."""
    scheduler = BackgroundScheduler(timezone=settings.tz)
    scheduler.add_job(
        _nightly_purge,
        CronTrigger(hour=PURGE_HOUR, minute=PURGE_MINUTE, timezone=settings.tz),
        args=[settings],
        id=PURGE_JOB,
        name="purge search logs past their retention",
        # A run missed while the machine slept still happens, once, within the hour.
        misfire_grace_time=3600,
        coalesce=True,
        replace_existing=True,
    )
    scheduler.add_job(
        _retry_kudos,
        IntervalTrigger(minutes=KUDOS_RETRY_MINUTES),
        args=[settings],
        id=KUDOS_JOB,
        name="post kudos whose post failed",
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )
    log.info(
        "search logs older than %d days are purged daily at %02d:%02d %s",
        settings.logs.retention_days,
        PURGE_HOUR,
        PURGE_MINUTE,
        settings.timezone,
    )
    return scheduler
