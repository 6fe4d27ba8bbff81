"""Slow clients against a real `deskmate serve --http`: a hundred connections that send part
of a request and go quiet must cost the server nothing it needs for anyone else. While they
are held open, `/healthz` and a signed `/answer` each answer within a second for ten
seconds, and each slow request is still answered once it is finished.

The old server (gunicorn's threaded workers, 2 x 8 threads) stalled behind sixteen of them:
a request thread read each request itself, and waited as long as the client did."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from ...databases import new_database
from .http_server import Server, answer_form, running_server

SLOW_CLIENTS = 100  # half stopping inside the headers, half inside the body
HOLD_SECONDS = 10
WITHIN_SECONDS = 1.0
GIVE_UP_SECONDS = 2.0  # so a stalled server fails the test quickly
# What a slow client sends before it goes quiet: the start of a request whose headers never
# end, as the reproducer does, or whole headers promising a body that never comes.
HEADERS_ONLY = b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
BODY_START, BODY_REST = b"command=", b"%2Fanswer&text=x"
BODY_PROMISED = (
    b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: %d\r\n\r\n" % len(BODY_START + BODY_REST)
) + BODY_START


@pytest.fixture(scope="module")
def server(tmp_path_factory, slack_server) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("http-slow-clients")
    with (
        new_database(folder) as url,
        running_server(folder, "search:\n  limit: 5\n", slack_server.api_url, url) as running,
    ):
        yield running


def _timed(send) -> tuple[float, int, str]:
    """(seconds taken, status, body) for one request; status 0 when it timed out."""
    started = time.monotonic()
    try:
        status, body = send()
    except TimeoutError:
        return time.monotonic() - started, 0, "timed out"
    return time.monotonic() - started, status, body


def _still_open(sock: socket.socket) -> bool:
    """Whether the server has neither closed nor answered the connection."""
    sock.setblocking(False)
    try:
        sock.recv(1)  # an answer already, or b"" for a connection closed
        return False
    except BlockingIOError:
        return True  # nothing to read: held open, waiting for the rest
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def _reply_status(sock: socket.socket) -> int:
    sock.settimeout(10)
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status


def test_slow_clients_held_open_do_not_stall_health_checks_or_answers(server, slack_api):
    with ExitStack() as stack:
        slow = []
        for number in range(SLOW_CLIENTS):
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", server.port)))
            sock.sendall(HEADERS_ONLY if number % 2 == 0 else BODY_PROMISED)
            slow.append(sock)

        # Probe for HOLD_SECONDS, one request after another: every one must be quick.
        slowest: dict[str, tuple[float, int, str]] = {}
        probes = {
            "healthz": lambda: server.request("GET", "/healthz", timeout=GIVE_UP_SECONDS),
            "answer": lambda: server.post(
                answer_form("council tax discount living alone", slack_api.response_url()),
                timeout=GIVE_UP_SECONDS,
            ),
        }
        deadline = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < deadline:
            for name, send in probes.items():
                taken, status, body = _timed(send)
                assert status == 200, f"{name} got {status} after {taken:.2f}s: {body[:200]}"
                if taken > slowest.get(name, (0.0,))[0]:
                    slowest[name] = (taken, status, body)
        for name, (taken, _status, _body) in slowest.items():
            assert taken < WITHIN_SECONDS, f"{name} took {taken:.2f}s with slow clients open"
        assert json.loads(slowest["answer"][2])["blocks"], "the answer card came back"

        # The slow clients were held, not dropped; finished now, each is answered (401:
        # none of them is signed), so nothing was lost while they waited.
        assert all(_still_open(sock) for sock in slow), "a slow client was dropped"
        for number, sock in enumerate(slow):
            sock.sendall(b"\r\n" if number % 2 == 0 else BODY_REST)
        assert [_reply_status(sock) for sock in slow] == [401] * SLOW_CLIENTS
