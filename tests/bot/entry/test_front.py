"""HTTP mode's front (bot.entry.front) served by a real uvicorn, as its worker sets it up,
around small WSGI applications: the request arrives whole, a body too large or a client that
leaves half-way never reaches the application, and an application that fails gets 500 and a
traceback in the log, not a dropped connection."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import uvicorn

from bot.entry.front import DeskmateWorker, WholeRequests

WAIT_SECONDS = 10  # polled, not slept


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)  # a poll of another thread's state, bounded above


@contextmanager
def serving(front: WholeRequests) -> Iterator[tuple[int, uvicorn.Server]]:
    """uvicorn with the worker's settings, on a free loopback port, in a thread."""
    config = uvicorn.Config(front, log_config=None, **DeskmateWorker.CONFIG_KWARGS)
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        _wait_for(lambda: server.started, "uvicorn to start")
        yield sock.getsockname()[1], server
    finally:
        server.should_exit = True
        thread.join(timeout=WAIT_SECONDS)
        sock.close()
        assert not thread.is_alive()


def _echo(calls: list[dict]) -> Callable:
    """A WSGI application that answers with what it was given."""

    def application(environ: dict, start_response: Callable) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        seen = {key: value for key, value in environ.items() if isinstance(value, str)}
        calls.append(seen | {"body": body.decode()})
        reply = json.dumps(calls[-1]).encode()
        start_response("201 Created", [("Content-Type", "application/json"), ("X-Seen", "yes")])
        return [reply]

    return application


def _request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_SECONDS)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_the_application_gets_the_whole_request_as_wsgi_describes_it():
    calls: list[dict] = []
    with serving(WholeRequests(_echo(calls), threads=2)) as (port, _server):
        status, headers, body = _request(
            port,
            "POST",
            "/slack/events?retry=1",
            b"command=%2Fanswer&text=council+tax",
            {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Signature": "v0=1"},
        )

    assert (status, headers["x-seen"]) == (201, "yes")
    seen = json.loads(body)
    assert seen["REQUEST_METHOD"] == "POST"
    assert (seen["PATH_INFO"], seen["QUERY_STRING"]) == ("/slack/events", "retry=1")
    assert seen["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert seen["CONTENT_LENGTH"] == str(len(b"command=%2Fanswer&text=council+tax"))
    assert seen["HTTP_X_SLACK_SIGNATURE"] == "v0=1"
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
    assert seen["body"] == "command=%2Fanswer&text=council+tax"


def test_a_body_sent_in_pieces_reaches_the_application_whole():
    calls: list[dict] = []
    with serving(WholeRequests(_echo(calls), threads=2)) as (port, _server):
        sock = socket.create_connection(("127.0.0.1", port))
        with sock:
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n")
            sock.sendall(b"hello ")
            sock.sendall(b"world!")
            response = http.client.HTTPResponse(sock)
            response.begin()
            assert response.status == 201
            assert json.loads(response.read())["body"] == "hello world!"
    assert len(calls) == 1


def test_a_declared_body_over_the_limit_is_refused_with_413_before_it_is_read(caplog):
    calls: list[dict] = []
    caplog.set_level(logging.WARNING, logger="bot.entry.front")
    with serving(WholeRequests(_echo(calls), threads=2, max_body=100)) as (port, _server):
        sock = socket.create_connection(("127.0.0.1", port))
        with sock:
            # Headers alone: the refusal comes without the megabyte being sent.
            sock.sendall(
                b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"
            )
            response = http.client.HTTPResponse(sock)
            response.begin()
            assert response.status == 413
        status, _headers, _body = _request(port, "POST", "/slack/events", b"x" * 100)

    assert status == 201  # exactly the limit is allowed
    assert len(calls) == 1
    assert "Refused a request to /slack/events from 127.0.0.1 with 413" in caplog.text


def test_a_chunked_body_over_the_limit_is_refused_with_413():
    calls: list[dict] = []
    with serving(WholeRequests(_echo(calls), threads=2, max_body=100)) as (port, _server):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_SECONDS)
        try:
            connection.request("POST", "/slack/events", body=iter([b"x" * 60, b"y" * 60]))
            assert connection.getresponse().status == 413
        finally:
            connection.close()
    assert calls == []


def test_a_client_that_leaves_half_way_never_reaches_the_application():
    calls: list[dict] = []
    with serving(WholeRequests(_echo(calls), threads=2)) as (port, server):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nabc")
        _wait_for(lambda: len(server.server_state.connections) == 1, "the connection")
        sock.close()
        _wait_for(lambda: not server.server_state.connections, "the connection to close")
        assert _request(port, "GET", "/healthz")[0] == 201  # and the server carries on

    assert [call["PATH_INFO"] for call in calls] == ["/healthz"]


def _raises(environ: dict, start_response: Callable) -> list[bytes]:
    raise RuntimeError("broken listener")


def _never_starts(environ: dict, start_response: Callable) -> list[bytes]:
    return [b"a body with no status"]  # start_response forgotten


@pytest.mark.parametrize(
    ("application", "logged"),
    [(_raises, "RuntimeError: broken listener"), (_never_starts, "ValueError")],
    ids=["raises", "never-starts-the-response"],
)
def test_an_application_that_fails_gets_500_and_a_traceback_in_the_log(application, logged, caplog):
    caplog.set_level(logging.ERROR, logger="bot.entry.front")
    with serving(WholeRequests(application, threads=2)) as (port, _server):
        status, _headers, body = _request(port, "POST", "/slack/events", b"x=1")
        assert (status, body) == (500, b"Internal Server Error\n")
        # The worker goes on answering.
        assert _request(port, "GET", "/healthz")[0] == 500

    assert "Error handling POST /slack/events" in caplog.text
    assert logged in caplog.text


@pytest.mark.parametrize("scope_type", ["lifespan", "websocket"])
def test_scopes_other_than_http_are_left_alone(scope_type):
    sent: list[dict] = []

    async def receive() -> dict:
        raise AssertionError("nothing should be read")

    async def send(message: dict) -> None:
        sent.append(message)

    front = WholeRequests(_echo([]), threads=1)
    asyncio.run(front({"type": scope_type}, receive, send))
    assert sent == []
