"""Housekeeping for the long-running modes: drop search logs past their retention nightly,
and every few minutes post any kudos whose post failed (bot.kudos claims each, so several
processes doing this post it once).

Searches may hold callers' details even after redaction misses something, so they are kept
only `logs.retention_days`. The scheduler (scheduler.service) runs both: the purge as the
`search_log_purge` job at the time app.yaml gives, the kudos retry every few minutes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from sqlalchemy.engine import Engine

from bot.answer import purge_search_logs
from bot.config.settings import Settings
from bot.store import db

KUDOS_RETRY_MINUTES = 5

log = logging.getLogger(__name__)


def purge_expired_search_logs(
    engine: Engine, settings: Settings, *, now: dt.datetime | None = None
) -> int:
    """Delete search logs older than the retention; returns how many went."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=settings.logs.retention_days)
    return purge_search_logs(engine, older_than=cutoff)


def retry_kudos(settings: Settings) -> None:
    """Post every kudos whose post failed (each is claimed, so several processes post it once)."""
    from bot.entry.app import make_client  # the Slack side, only when the job runs
    from handlers.kudos import retry_unposted

    engine = db.make_engine(settings.database.url)
    try:
        client = make_client(
            os.environ.get("SLACK_BOT_TOKEN"), timeout=settings.slack.timeout_seconds
        )
        posted = retry_unposted(engine, client, log)
        if posted:
            log.info("posted %d kudos whose first post had failed", posted)
    except Exception:
        log.exception(
            "could not retry kudos posts; will try again in %d minutes", KUDOS_RETRY_MINUTES
        )
    finally:
        engine.dispose()
