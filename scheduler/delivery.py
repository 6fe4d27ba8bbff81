"""How every scheduled post goes out: once per run and target (scheduler.runs.deliver_once),
marked with a key of its own so that one Slack did not answer is looked for before it is
posted again (bot.slack.posting). A job is a plain function `run(ctx, scheduled_for)` that
raises when a post fails, so the run is recorded as failed and retried within its grace
period; `deliver_all` sends the others first, so the retry sends only the ones that failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.config.settings import Settings
from bot.slack.client import make_client
from bot.slack.posting import post_once
from bot.store.models import utcnow
from scheduler.clock import to_utc
from scheduler.runs import deliver_once

log = logging.getLogger(__name__)


# Sends one post, given the key that marks it in Slack.
Send = Callable[[str], object]


@dataclass
class JobContext:
    """What a job needs: settings, the database, a Slack client (made when first used)."""

    settings: Settings
    engine: Engine
    client_factory: Callable[[], WebClient] | None = None
    clock: Callable[[], dt.datetime] = utcnow
    _client: WebClient | None = field(default=None, repr=False)

    @property
    def client(self) -> WebClient:
        if self._client is None:
            if self.client_factory is not None:
                self._client = self.client_factory()
            else:
                self._client = make_client(
                    os.environ.get("SLACK_BOT_TOKEN"),
                    timeout=self.settings.slack.timeout_seconds,
                )
        return self._client

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.settings.tz).date()


def post(ctx: JobContext, **message) -> Send:
    """Posting `message` once (bot.posting), given its key."""
    return lambda key: post_once(ctx.client, key=key, unfurl_links=False, **message)


def deliver_all(
    ctx: JobContext,
    job: str,
    scheduled_for: dt.datetime,
    posts: list[tuple[str, Send]],
) -> None:
    """Send each (target, send) post once; a failure fails the run only after the others
    are sent, so the retry sends just the ones that failed. Each post's key (its metadata
    in Slack) names the job, the scheduled time and the target."""
    failed = []
    for target, send in posts:
        key = f"{job} {to_utc(scheduled_for).isoformat()} {target}"
        try:
            deliver_once(ctx.engine, job, scheduled_for, target, lambda s=send, k=key: s(k))
        except Exception as exc:
            log.error("%s: could not post to %s: %s", job, target, exc)
            failed.append(f"{target}: {exc}")
    if failed:
        raise RuntimeError(f"{len(failed)} post(s) failed: " + "; ".join(failed))
