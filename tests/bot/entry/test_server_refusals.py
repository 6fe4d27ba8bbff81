"""Hostile and broken requests to a real `deskmate serve --http`: anything not signed with
the signing secret is refused with 401 before its body is read, a signed body that cannot be
read with 400, each with one warning line in the log and no traceback; the server goes on
answering."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from collections.abc import Iterator

import pytest

from ...databases import new_database
from .http_server import SECRET, Server, answer, running_server

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def server(tmp_path_factory, slack_server) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("http-refusals")
    with (
        new_database(folder) as url,
        running_server(folder, "search:\n  limit: 5\n", slack_server.api_url, url) as running,
    ):
        yield running


def _signature(body: bytes, timestamp: str) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()


def _send(server: Server, body: bytes, headers: dict[str, str]) -> tuple[int, str, str]:
    """(status, reply, what the server logged meanwhile) for one raw POST."""
    logged_before = server.log.stat().st_size
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("POST", "/slack/events", body=body, headers=headers)
        response = connection.getresponse()
        status, reply = response.status, response.read().decode()
    finally:
        connection.close()
    # The line is written before the reply is sent, by the worker that answered.
    with server.log.open("rb") as log:
        log.seek(logged_before)
        return status, reply, log.read().decode(errors="replace")


def _signed(body: bytes, content_type: str = FORM) -> dict[str, str]:
    stamp = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": _signature(body, stamp),
    }


# What a worker says as it comes up: the second of the server's workers may still be
# starting while the first answers, and its lines land in the same log.
_STARTING = (
    "Started server process",
    "Waiting for application startup",
    "Application startup complete",
    "Booting worker",
)


def _one_warning(logged: str, says: str) -> None:
    lines = [
        line
        for line in logged.splitlines()
        if line.strip() and not any(starting in line for starting in _STARTING)
    ]
    assert "Traceback" not in logged
    assert len(lines) == 1, logged
    assert "WARNING" in lines[0] and "Refused a request to /slack/events" in lines[0]
    assert says in lines[0]


UNSIGNED = {
    "payload-half-json": (b"payload=%7B", {"Content-Type": FORM}),
    "not-utf8": (b"text=\xff\xfe\xfa caller", {"Content-Type": FORM}),
    "broken-json": (b'{"type": "event_callback", ', {"Content-Type": "application/json"}),
    "timestamp-abc": (
        b"command=%2Fanswer&text=ctr",
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=1"},
    ),
    "timestamp-abc-no-signature": (
        b"command=%2Fanswer&text=ctr",
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc"},
    ),
    "signature-not-ascii": (
        b"command=%2Fanswer&text=ctr",
        {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=\u00e9t\u00e9",
        },
    ),
}


@pytest.mark.parametrize(("body", "headers"), UNSIGNED.values(), ids=UNSIGNED.keys())
def test_an_unsigned_request_is_refused_with_401_and_one_warning(server, slack_api, body, headers):
    status, reply, logged = _send(server, body, headers)

    assert status == 401
    assert json.loads(reply) == {"error": "invalid request"}
    _one_warning(logged, "with 401")
    assert slack_api.calls == []  # nothing in it was acted on


def test_a_signed_request_with_a_body_altered_on_the_way_is_refused_with_401(server, slack_api):
    headers = _signed(b"command=%2Fanswer&text=ctr+apply")

    status, _, logged = _send(server, b"command=%2Fanswer&text=ctr+apply+now", headers)

    assert status == 401
    _one_warning(logged, "does not match")


SIGNED_UNREADABLE = {
    "payload-list": (b"payload=%5B%5D", FORM, "not a JSON object"),
    "payload-null": (b"payload=null", FORM, "not a JSON object"),
    "actions-a-string": (
        b"payload="
        + json.dumps(
            {"type": "block_actions", "user": {"id": "U0CSR0001"}, "actions": "share"}
        ).encode(),
        FORM,
        "`actions` is not a list",
    ),
    "action-without-id": (
        b"payload=" + json.dumps({"type": "block_actions", "actions": [{}]}).encode(),
        FORM,
        "without an `action_id`",
    ),
    "event-a-string": (
        json.dumps({"type": "event_callback", "event": "app_home_opened"}).encode(),
        "application/json",
        "`event` is not an object",
    ),
    "payload-half-json": (b"payload=%7B", FORM, "not the JSON"),
    "broken-json": (b'{"type": ', "application/json", "not the JSON"),
    "not-utf8": (b"text=\xff\xfe", FORM, "not UTF-8"),
}


@pytest.mark.parametrize(
    ("body", "content_type", "says"), SIGNED_UNREADABLE.values(), ids=SIGNED_UNREADABLE.keys()
)
def test_a_signed_body_that_cannot_be_read_is_refused_with_400_and_one_warning(
    server, slack_api, body, content_type, says
):
    status, reply, logged = _send(server, body, _signed(body, content_type))

    assert status == 400
    assert json.loads(reply) == {"error": "invalid request"}
    _one_warning(logged, says)
    assert slack_api.calls == []


def test_good_requests_are_answered_after_the_refusals(server, slack_api):
    for body, headers in UNSIGNED.values():
        _send(server, body, headers)

    card = answer(server, slack_api, "council tax discount living alone")

    assert card["blocks"][0]["text"]["text"] == "Council Tax single person discount"
