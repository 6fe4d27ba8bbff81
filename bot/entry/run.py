"""How Deskmate runs: Socket Mode, HTTP mode under gunicorn, or the local console.

The environment picks the mode (DESIGN.md, "Environment"): both Slack tokens mean Socket
Mode, none means the console. Every mode serves the same `create_app` Bolt app.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config.settings import Settings
from bot.entry.app import create_app, settle
from bot.entry.modes import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    RunError,
    check_socket_tokens,
    is_set,
)
from bot.store import kb
from scheduler.service import HTTP_START_DELAY, build_scheduler

log = logging.getLogger(__name__)


def socket_mode_handler(settings: Settings, app_token: str) -> SocketModeHandler:
    """The Socket Mode adapter around the app; nothing connects until `.start()`."""
    return SocketModeHandler(create_app(settings), app_token)


def run_socket_mode(settings: Settings, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    _, app_token = check_socket_tokens(environ)
    handler = socket_mode_handler(settings, app_token)
    scheduler = build_scheduler(settings)
    settle()
    scheduler.start()
    try:
        log.info("Deskmate is connecting to Slack in Socket Mode")
        handler.start()  # blocks until interrupted
    except SlackApiError as error:
        reason = error.response.get("error", "no reason given")
        raise RunError(
            f"Slack refused to open a Socket Mode connection ({reason}). Check that "
            f"{APP_TOKEN} is the app-level token of this app with connections:write, and "
            "that Socket Mode is on in its settings."
        ) from None
    except (SlackClientError, OSError) as error:
        raise RunError(f"could not reach Slack to connect in Socket Mode: {error}") from None
    finally:
        scheduler.shutdown(wait=False)
        handler.close()
    return 0


def check_http_environment(environ: Mapping[str, str]) -> None:
    missing = [name for name in (SIGNING_SECRET, BOT_TOKEN) if not is_set(environ, name)]
    if missing:
        raise RunError(
            f"HTTP mode needs {' and '.join(missing)}. {SIGNING_SECRET} is on the Slack "
            f"app's Basic Information page and proves requests come from Slack; "
            f"{BOT_TOKEN} (xoxb-...) is on its Install App page."
        )


def run_http(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Serve `/slack/events`, `/healthz`, `/readyz` and `/metrics` with gunicorn until
    stopped (Ctrl-C, SIGTERM)."""
    from bot.entry.server import GunicornServer, ServerOptions

    check_http_environment(os.environ if environ is None else environ)
    # Seed the knowledge base once, here, so workers do not race to do it and a
    # database problem stops the server before it forks.
    engine = kb.open_database(settings)
    try:
        kb.ensure_bundled(engine, settings)
    finally:
        engine.dispose()

    # The scheduler runs in gunicorn's master process only: once, not once per worker.
    scheduler = build_scheduler(settings, start_delay=HTTP_START_DELAY)
    server = GunicornServer(
        lambda: create_app(settings, background_logs=True),
        ServerOptions(host=host, port=port, workers=workers, threads=threads),
        when_ready=scheduler.start,
        on_exit=lambda: scheduler.shutdown(wait=False) if scheduler.running else None,
    )
    server.run()
    return 0
