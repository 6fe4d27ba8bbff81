"""HTTP mode: the Bolt app as a WSGI application under gunicorn.

gunicorn pre-forks several worker processes, each with a few threads, and each worker
builds its own Bolt app (database engine, search index) after the fork, so no connection
or lock is shared between processes. `/slack/events` goes to Bolt, which rejects forged
or stale signatures with 401; `/healthz` answers load balancers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

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


def wsgi_app(app: App) -> WSGIApp:
    """Route POST /slack/events to Bolt and GET /healthz to a health check; 404 otherwise."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    healthy = json.dumps({"status": "ok"}).encode()

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH:
            if method == "POST":
                return slack(environ, start_response)
            return _reply(start_response, "405 Method Not Allowed", b"Use POST\n", allow="POST")
        if path == HEALTH_PATH:
            if method in ("GET", "HEAD"):
                return _reply(start_response, "200 OK", healthy, "application/json")
            return _reply(start_response, "405 Method Not Allowed", b"Use GET\n", allow="GET")
        return _reply(start_response, "404 Not Found", b"Not Found\n")

    return application


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
        self._settings: dict[str, Any] = {
            "bind": [f"{_bind_host(options.host)}:{options.port}"],
            "workers": options.workers,
            # Threads: a worker waiting on the Web API (a button posting to a channel)
            # still answers other requests; HTTP keep-alive needs a threaded worker too.
            "worker_class": "gthread",
            "threads": options.threads,
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

    def load(self) -> WSGIApp:
        return wsgi_app(self._make_app())


def _bind_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
