"""The composition root: build the Bolt `App` with the database, the search index and every
listener. The same app serves Socket Mode, HTTP mode and the local console."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from sqlalchemy.engine import Engine

import handlers
from bot import kb
from bot.models import SearchLog, utcnow
from bot.search_log import SearchLogWriter
from bot.settings import Settings
from knowledge.search import SearchIndex

DEFAULT_API_URL = "https://slack.com/api/"
# The console and the tests stand in for Slack with these when no real token is set.
CONSOLE_TOKEN = "xoxb-deskmate-console"

log = logging.getLogger(__name__)


@dataclass
class Deskmate:
    """What every listener needs, handed to it as `context["deskmate"]`."""

    settings: Settings
    engine: Engine
    index: SearchIndex
    # Where /answer hands its search log entry (None: stored as it is made); HTTP mode
    # gives a SearchLogWriter so answers never queue for the database.
    log_search: Callable[[SearchLog], None] | None = None
    # The time now (UTC); tests set the day a kudos is given on.
    clock: Callable[[], dt.datetime] = utcnow

    def today(self) -> dt.date:
        """Today's date in the configured time zone, by the app's clock."""
        return self.clock().astimezone(self.settings.tz).date()


def api_url() -> str:
    """The Slack Web API base URL: `SLACK_API_URL` (tests, proxies) or Slack's own."""
    url = os.environ.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def make_client(token: str | None, *, base_url: str | None = None) -> WebClient:
    """A Web API client that waits out rate limits (429 Retry-After) and retries a dropped
    connection, as slack_sdk's retry handlers do."""
    return WebClient(
        token=token,
        base_url=base_url or api_url(),
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(
    settings: Settings,
    client: WebClient | None = None,
    *,
    signing_secret: str | None = None,
    engine: Engine | None = None,
    process_before_response: bool = False,
    background_logs: bool = False,
    clock: Callable[[], dt.datetime] | None = None,
) -> App:
    """A real Bolt app over the configured database and knowledge base.

    Tokens and the signing secret come from the environment (`SLACK_BOT_TOKEN`,
    `SLACK_SIGNING_SECRET`); without them (the console, tests) the app uses a stand-in token
    and a random signing secret, and still verifies every request it is given.

    `process_before_response` makes `dispatch` return only once the listener has finished,
    so the console can show everything a button did before it asks for the next line.
    `background_logs` stores search logs in batches from a thread (bot.search_log).
    """
    token = os.environ.get("SLACK_BOT_TOKEN") or CONSOLE_TOKEN
    secret = signing_secret or os.environ.get("SLACK_SIGNING_SECRET") or secrets.token_hex(16)
    client = client or make_client(token)
    engine = engine or kb.open_database(settings)
    deskmate = Deskmate(
        settings=settings,
        engine=engine,
        index=kb.index_from_db(engine, settings=settings),
        log_search=SearchLogWriter(engine) if background_logs else None,
        clock=clock or utcnow,
    )
    app = App(
        client=client,
        signing_secret=secret,
        # auth.test at start-up would need a real workspace; the first API call checks instead.
        token_verification_enabled=False,
        process_before_response=process_before_response,
        logger=logging.getLogger("deskmate.slack"),
    )

    @app.middleware
    def _hand_over(context: BoltContext, next) -> None:  # noqa: A002 - Bolt's name
        context["deskmate"] = deskmate
        next()

    handlers.register(app)
    return app
