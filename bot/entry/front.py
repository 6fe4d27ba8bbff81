"""HTTP mode's front: whole requests read on an event loop, then handled in a thread pool.

gunicorn's threaded workers gave each connection a request thread as soon as it sent a
byte, and the thread waited for the rest of the request as long as the client took: sixteen
clients that sent half a request and went quiet held every thread of two workers, and
`/healthz` and Slack's own requests timed out behind them (issue 14). Here each worker runs
uvicorn's event loop (`DeskmateWorker`, under gunicorn's master as before), which holds any
number of unfinished requests for the cost of a socket each, and `WholeRequests` hands a
request to the WSGI application (bot.entry.server: the signature check, Bolt, the health
checks) only once every byte of its body has arrived. The threads therefore only ever do
work, never wait on a client.

A body larger than `MAX_BODY_BYTES` is refused with 413 before it is held in memory: no
Slack request comes near it.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from uvicorn_worker import UvicornWorker

from bot import logs

# Slack's largest payloads (a modal's whole state) are tens of kilobytes.
MAX_BODY_BYTES = 1024 * 1024

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
Reply = tuple[int, list[tuple[bytes, bytes]], bytes]


def _plain(status: int, text: str) -> Reply:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    return status, headers + [(b"content-length", str(len(body)).encode())], body


class WholeRequests:
    """An ASGI application around a WSGI one: the request's body is read in full on the
    event loop, then the WSGI application runs in one of `threads` threads."""

    def __init__(self, app: WSGIApp, threads: int, max_body: int = MAX_BODY_BYTES) -> None:
        self.app, self.threads = app, threads
        self._max_body = max_body
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="request")

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":  # the worker serves no lifespan and no websockets
            return
        body = await self._body(scope, receive)
        if body is None:
            return  # the client went before it finished: there is no one to answer
        if isinstance(body, tuple):
            reply = body
        else:
            loop = asyncio.get_running_loop()
            reply = await loop.run_in_executor(self._pool, self._run, _environ(scope, body))
        status, headers, content = reply
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _body(self, scope: dict, receive: Callable) -> bytes | Reply | None:
        """The whole body; a 413 reply when it is too large; None if the client left."""
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self._max_body:
            return self._too_large(scope)  # refused before a byte of it is read
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if len(body) > self._max_body:  # chunked, so no length was declared
                return self._too_large(scope)
            if not message.get("more_body", False):
                return bytes(body)

    def _too_large(self, scope: dict) -> Reply:
        client = scope.get("client")
        log.warning(
            "Refused a request to %s from %s with 413: the body is over %d bytes",
            scope["path"],
            client[0] if client else "an unknown address",
            self._max_body,
        )
        return _plain(413, "Request body too large\n")

    def _run(self, environ: dict) -> Reply:
        """The WSGI application, whole, in a pool thread."""
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(status: str, headers: list, exc_info=None) -> Callable:
            started[:] = [status, headers]
            return written.append

        try:
            result = self.app(environ, start_response)
            try:
                written.extend(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
            status, headers = started
        except Exception:
            # gunicorn's WSGI workers did the same: a traceback for the admin, 500 for Slack.
            log.exception("Error handling %s %s", environ["REQUEST_METHOD"], environ["PATH_INFO"])
            return _plain(500, "Internal Server Error\n")
        encoded = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers
        ]
        return int(status.split(" ", 1)[0]), encoded, b"".join(written)


def _environ(scope: dict, body: bytes) -> dict:
    """PEP 3333's environ for an ASGI HTTP scope whose body has been read."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client")
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode().decode("latin-1"),
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]) if server[1] is not None else "80",
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "REMOTE_ADDR": client[0] if client else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_LENGTH":
            continue  # the length of the body read, above
        key = name if name == "CONTENT_TYPE" else f"HTTP_{name}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


class DeskmateWorker(UvicornWorker):
    """uvicorn's worker for gunicorn, set for Deskmate: no lifespan or websockets (nothing
    uses them), no access log (gunicorn's was off too), and its own log lines through
    Deskmate's handler like gunicorn's."""

    CONFIG_KWARGS = {
        "loop": "auto",
        "http": "auto",
        "lifespan": "off",
        "ws": "none",
        "access_log": False,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A request still being read when the worker is told to stop gets as long as
        # gunicorn gives any worker to finish, not for ever.
        self.config.timeout_graceful_shutdown = self.cfg.graceful_timeout
        if logs.configured():
            uvicorn_log = logging.getLogger("uvicorn.error")
            uvicorn_log.handlers = []
            uvicorn_log.propagate = True
            uvicorn_log.setLevel(logging.NOTSET)
