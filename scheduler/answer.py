"""The answer feature's nightly housekeeping: searches may hold callers' details even after
redaction misses something, so they are kept only `logs.retention_days`."""

from __future__ import annotations

import datetime as dt
import logging

from bot.answer import purge_expired_search_logs
from scheduler.delivery import JobContext

log = logging.getLogger(__name__)


def search_log_purge(ctx: JobContext, scheduled_for: dt.datetime) -> None:
    removed = purge_expired_search_logs(ctx.engine, ctx.settings, now=ctx.clock())
    log.info("purged %d search logs older than %d days", removed, ctx.settings.logs.retention_days)
