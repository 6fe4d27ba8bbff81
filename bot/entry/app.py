"""The composition root: build the Bolt `App` with the database, the search index and every
listener. The same app serves Socket Mode, HTTP mode and the local console."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from logging import Logger
from weakref import WeakKeyDictionary

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

import handlers
from bot import metrics
from bot.config.settings import SLACK_TIMEOUT_SECONDS, Settings
from bot.slack import bolt_fixes
from bot.slack.retries import retry_handlers
from bot.store import kb
from bot.store.live_index import LiveIndex
from bot.store.models import utcnow
from bot.store.search_log import SearchEntry, SearchLogWriter
from knowledge.search import SearchIndex

DEFAULT_API_URL = "https://slack.com/api/"
# The console and the tests stand in for Slack with these when no real token is set.
CONSOLE_TOKEN = "xoxb-deskmate-console"

log = logging.getLogger(__name__)

bolt_fixes.apply()


@dataclass
class Deskmate:
    """What every listener needs, handed to it as `context["deskmate"]`."""

    settings: Settings
    engine: Engine
    index: SearchIndex | LiveIndex  # LiveIndex follows imports made elsewhere
    # Where /answer hands its search log entry (None: stored as it is made); HTTP mode
    # gives a SearchLogWriter so answers never queue for the database.
    log_search: Callable[[SearchEntry], None] | None = None
    # The time now (UTC); tests set the day a kudos is given on.
    clock: Callable[[], dt.datetime] = utcnow

    @property
    def search_index(self) -> SearchIndex:
        """The index to answer this request from (a live one's latest)."""
        return self.index.current if isinstance(self.index, LiveIndex) else self.index

    def today(self) -> dt.date:
        """Today's date in the configured time zone, by the app's clock."""
        return self.clock().astimezone(self.settings.tz).date()


def api_url() -> str:
    """The Slack Web API base URL: `SLACK_API_URL` (tests, proxies) or Slack's own."""
    url = os.environ.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def make_client(
    token: str | None,
    *,
    base_url: str | None = None,
    timeout: float = SLACK_TIMEOUT_SECONDS,
) -> WebClient:
    """A Web API client that gives Slack `timeout` seconds to answer each call, waits out
    rate limits (429 Retry-After), and tries again after an error page or a dropped
    connection when that cannot do anything twice (bot.slack_retries; posts that must
    appear once go through bot.posting)."""
    return metrics.CountingWebClient(
        token=token,
        base_url=base_url or api_url(),
        timeout=timeout,
        retry_handlers=retry_handlers(),
    )


# Each app's Deskmate, for what sits outside Bolt's listeners (bot.server's /readyz).
_DESKMATES: WeakKeyDictionary[App, Deskmate] = WeakKeyDictionary()


def deskmate_of(app: App) -> Deskmate | None:
    """The Deskmate `create_app` built `app` around (None for any other Bolt app)."""
    return _DESKMATES.get(app)


def _listener_failed(error: Exception, body: dict, logger: Logger) -> None:
    """Bolt's global error handler: count it and log what failed, never the request body,
    which holds what the person typed."""
    metrics.error("listener")
    what = body.get("command") or body.get("type") or "a request"
    logger.error("A listener failed on %s: %s", what, type(error).__name__, exc_info=error)


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
    client = client or make_client(token, timeout=settings.slack.timeout_seconds)
    engine = engine or kb.open_database(settings)
    deskmate = Deskmate(
        settings=settings,
        engine=engine,
        index=LiveIndex(engine, settings=settings),
        log_search=SearchLogWriter(engine) if background_logs else None,
        clock=clock or utcnow,
    )
    app = App(
        # The logger listeners are given (Bolt's default: "app.py"); Bolt copies the app
        # logger's level onto it, so it must not be a parent of Deskmate's other loggers.
        name="deskmate.listeners",
        client=client,
        signing_secret=secret,
        # auth.test at start-up would need a real workspace; the first API call checks instead.
        token_verification_enabled=False,
        process_before_response=process_before_response,
        logger=bolt_fixes.quiet_client_warning(logging.getLogger("deskmate.slack")),
    )

    _DESKMATES[app] = deskmate

    @app.middleware
    def _hand_over(context: BoltContext, next) -> None:  # noqa: A002 - Bolt's name
        context["deskmate"] = deskmate
        # Bolt gives each request a plain WebClient of its own; ours counts its calls.
        context["client"] = client
        next()

    app.error(_listener_failed)
    handlers.register(app)
    return app
