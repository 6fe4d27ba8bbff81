"""The composition root: build the Bolt `App` with the database, the search index and every
listener. The same app serves Socket Mode, HTTP mode and the local console."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import secrets
from collections.abc import Callable
from logging import Logger
from weakref import WeakKeyDictionary

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

import handlers
from bot import metrics
from bot.config.settings import Settings
from bot.deskmate import Deskmate
from bot.slack import bolt_fixes
from bot.slack.client import CONSOLE_TOKEN, make_client
from bot.store import kb
from bot.store.live_index import LiveIndex
from bot.store.models import utcnow
from bot.store.search_log import SearchLogWriter

log = logging.getLogger(__name__)

bolt_fixes.apply()


# Each app's Deskmate, for what sits outside Bolt's listeners (bot.entry.server's /readyz).
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


def settle() -> None:
    """Once the app is built, before it serves. What is built by now (the search index,
    Bolt, SQLAlchemy: about 160,000 objects) lives as long as the process, yet every full
    collection of Python's cycle collector walked all of it, pausing every request in the
    process for 100 ms or more on a slow machine (the slowest requests under load).
    Frozen, the collector leaves it out and a full collection takes about a millisecond;
    memory that no cycle holds is still freed as ever."""
    gc.collect()
    gc.freeze()


class _HandOver(Middleware):
    """Gives every request this app's Deskmate, and our client: Bolt gives each request a
    plain WebClient of its own, and ours counts its calls. A Middleware of its own, not a
    function: for a function Bolt works out every argument a listener could ask for (the
    payload read seven ways) on every request, and this needs none of them."""

    def __init__(self, deskmate: Deskmate, client: WebClient) -> None:
        self._deskmate = deskmate
        self._client = client

    def process(self, *, req: BoltRequest, resp: BoltResponse, next) -> None:  # noqa: A002 - Bolt's name
        req.context["deskmate"] = self._deskmate
        req.context["client"] = self._client
        next()


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
    `background_logs` stores search logs in batches from a thread (bot.store.search_log).
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

    app.use(_HandOver(deskmate, client))
    app.error(_listener_failed)
    handlers.register(app)
    return app
