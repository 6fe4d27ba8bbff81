"""HTTP mode: the Bolt app as a WSGI application under gunicorn.

gunicorn pre-forks several worker processes, and each worker builds its own Bolt app
(database engine, search index) after the fork, so no connection or lock is shared between
processes. Each worker reads requests on an event loop and hands only whole ones to a few
threads running the WSGI application below (bot.entry.front), so clients that send slowly
or stop half-way hold no thread. `/slack/events` goes to Bolt once its signature has
been checked on the raw bytes (bot.slack.inbound): a forged, stale or missing signature
gets 401 and a signed body that cannot be read 400, each with one warning line and nothing
of the request parsed or logged. For load balancers and monitoring, none of which needs a
signature or shows anything personal:

- `GET /healthz`: 200 while the worker is running (liveness);
- `GET /readyz`: 200 `{"status": "ready"}` when the database answers and the search index
  is loaded, else 503 naming the check that failed (readiness: take it out of rotation);
  either way `attention` lists what an admin must put right that traffic cannot wait for
  (kudos Slack refused to post for good, with the fix);
- `GET /metrics`: the whole instance's counters in Prometheus' text format (bot.metrics;
  the master gives the workers a shared folder for them before it forks).

gunicorn's own log lines go through Deskmate's handler (bot.logs), so `LOG_FORMAT=json`
covers them too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger
from slack_bolt import App
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import kudos_report, logs, metrics
from bot.deskmate import Deskmate
from bot.entry.app import deskmate_of, settle
from bot.entry.front import WholeRequests
from bot.slack import bolt_fixes, inbound
from bot.slack.kudos import fix

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def _reply(
    start_response: Callable,
    status: str,
    body: bytes,
    content_type: str = "text/plain; charset=utf-8",
    allow: str | None = None,
) -> list[bytes]:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    if allow:
        headers.append(("Allow", allow))
    start_response(status, headers)
    return [body]


def index_loaded(deskmate: Deskmate) -> bool:
    """Whether the worker has a search index to answer from."""
    return deskmate.index is not None


def database_problem(engine: Engine) -> str | None:
    """None when the database answers `SELECT 1`; otherwise what is wrong, in a few words.

    A SQLite file that has gone (a volume unmounted, the file moved) is caught by looking
    for it: the pool's open connections would carry on with the old file regardless."""
    url = engine.url
    on_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_file and not Path(url.database).is_file():
        return "the database file is missing"
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("Readiness check: the database did not answer (%s)", type(error).__name__)
        return "the database did not answer"
    return None


def readiness(deskmate: Deskmate | None) -> dict[str, str]:
    """The failed checks by name, with why; empty when the worker is ready."""
    if deskmate is None:
        return {"app": "not a Deskmate app"}
    failed = {}
    problem = database_problem(deskmate.engine)
    if problem:
        failed["database"] = problem
    if not index_loaded(deskmate):
        failed["index"] = "the search index is not loaded"
    return failed


def _headers(environ: dict) -> dict[str, str]:
    """The request's headers as WSGI gives them, by lower-case name."""
    found = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            found[key.replace("_", "-").lower()] = environ[key]
    return found


def slack_events(app: App) -> WSGIApp:
    """POST /slack/events: the signature checked before anything else is read, then Bolt."""
    secret = bolt_fixes.signing_secret(app)

    def refuse(environ: dict, start_response: Callable, refused: inbound.Refused) -> list[bytes]:
        log.warning(
            "Refused a request to %s from %s with %d: %s",
            EVENTS_PATH,
            environ.get("REMOTE_ADDR") or "an unknown address",
            refused.status,
            refused.why,
        )
        status = "401 Unauthorized" if refused.status == 401 else "400 Bad Request"
        body = json.dumps({"error": "invalid request"}).encode()
        return _reply(start_response, status, body, "application/json")

    def handle(environ: dict, start_response: Callable) -> Iterable[bytes]:
        headers = _headers(environ)
        try:
            length = int(headers.get("content-length") or 0)
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            inbound.check_signature(secret, body, headers)
            request = inbound.bolt_request(body, headers, environ.get("QUERY_STRING", ""))
        except inbound.Refused as refused:
            return refuse(environ, start_response, refused)
        response = app.dispatch(request)
        wsgi = WsgiHttpResponse(response.status, response.headers, response.body)
        start_response(wsgi.status, wsgi.get_headers())
        return wsgi.get_body()

    return handle


def attention(deskmate: Deskmate | None) -> dict[str, list[str]]:
    """What an admin must put right, by feature, that should not take the worker out of
    rotation: answers still work while kudos wait for a channel to be fixed."""
    if deskmate is None:
        return {}
    try:
        stopped = kudos_report.stopped(deskmate.engine)
    except SQLAlchemyError:
        return {}  # the database check says so
    notes = [
        f"{s.count} kudos not posted in {s.channel} (Slack said {s.error}): "
        + fix(s.error, s.channel)
        for s in stopped
    ]
    return {"kudos": notes} if notes else {}


def wsgi_app(app: App) -> WSGIApp:
    """Route POST /slack/events to Bolt; GET /healthz, /readyz and /metrics to the checks
    and figures; 404 otherwise."""
    slack = slack_events(app)
    healthy = json.dumps({"status": "ok"}).encode()
    deskmate = deskmate_of(app)

    def ready(start_response: Callable) -> list[bytes]:
        failed = readiness(deskmate)
        notes = {} if "database" in failed else attention(deskmate)
        extra = {"attention": notes} if notes else {}
        if failed:
            body = json.dumps({"status": "not ready", "failed": failed} | extra).encode()
            return _reply(start_response, "503 Service Unavailable", body, "application/json")
        body = json.dumps({"status": "ready"} | extra).encode()
        return _reply(start_response, "200 OK", body, "application/json")

    def figures(start_response: Callable) -> list[bytes]:
        body, content_type = metrics.exposition()
        return _reply(start_response, "200 OK", body, content_type)

    def health(start_response: Callable) -> list[bytes]:
        return _reply(start_response, "200 OK", healthy, "application/json")

    checks = {HEALTH_PATH: health, READY_PATH: ready, METRICS_PATH: figures}

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH:
            if method == "POST":
                return slack(environ, start_response)
            return _reply(start_response, "405 Method Not Allowed", b"Use POST\n", allow="POST")
        if path in checks:
            if method in ("GET", "HEAD"):
                return checks[path](start_response)
            return _reply(start_response, "405 Method Not Allowed", b"Use GET\n", allow="GET")
        return _reply(start_response, "404 Not Found", b"Not Found\n")

    return application


class _Logger(GunicornLogger):
    """gunicorn's error log through Deskmate's handler (plain or JSON, scrubbed) once
    bot.logs has set one up, instead of gunicorn's own format on stderr."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        if logs.configured():
            for handler in list(self.error_log.handlers):
                self.error_log.removeHandler(handler)
            self.error_log.propagate = True
            self.error_log.setLevel(logging.NOTSET)  # LOG_LEVEL decides, as for the rest


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 3000
    workers: int = 2
    threads: int = 8


class GunicornServer(BaseApplication):
    """gunicorn run from Python, so `deskmate serve --http` needs no second command.

    `make_app` runs in each worker after the fork; `when_ready` and `on_exit` run once, in
    the master process (where the nightly housekeeping lives).
    """

    def __init__(
        self,
        make_app: Callable[[], App],
        options: ServerOptions,
        *,
        when_ready: Callable[[], None] | None = None,
        on_exit: Callable[[], None] | None = None,
    ) -> None:
        self._make_app = make_app
        self._threads = options.threads
        self._settings: dict[str, Any] = {
            "bind": [f"{_bind_host(options.host)}:{options.port}"],
            "workers": options.workers,
            # An event loop reads requests (slow clients cost a socket, not a thread);
            # whole ones go to `threads` threads, so a worker waiting on the Web API (a
            # button posting to a channel) still answers other requests.
            "worker_class": "bot.entry.front.DeskmateWorker",
            "keepalive": 5,
            "timeout": 30,
            "graceful_timeout": 10,
            "preload_app": False,  # each worker builds its own app, after the fork
            "proc_name": "deskmate",
            "errorlog": "-",
            "loglevel": "info",
            "accesslog": None,
            # gunicorn's control socket is one path per user: two servers would share it.
            "control_socket_disable": True,
            "logger_class": _Logger,
            # A worker that has gone leaves its counters behind, to be added up still.
            "child_exit": lambda _arbiter, worker: metrics.process_exited(worker.pid),
        }
        if when_ready is not None:
            self._settings["when_ready"] = lambda _arbiter: when_ready()
        if on_exit is not None:
            self._settings["on_exit"] = lambda _arbiter: on_exit()
        super().__init__(usage="deskmate serve --http", prog="deskmate")

    def load_config(self) -> None:
        for key, value in self._settings.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn
                self.cfg.set(key, value)

    def load(self) -> WholeRequests:
        served = WholeRequests(wsgi_app(self._make_app()), threads=self._threads)
        settle()
        return served

    def run(self) -> None:
        # Before the first fork, so every worker counts into the same shared folder.
        with metrics.across_processes():
            super().run()


def _bind_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
