"""Reading a request from Slack before Bolt does: the signature first, on the raw bytes,
then a body Bolt can trust (bot.slack.inbound, bot.slack.bolt_fixes). Through a real
server in tests/bot/entry/test_server_refusals.py."""

from __future__ import annotations

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.slack import bolt_fixes, inbound

SECRET = "inbound-test-secret"
NOW = 1_800_000_000
BODY = b"command=%2Fanswer&text=ctr+apply"


def _headers(body: bytes = BODY, stamp: int = NOW, secret: str = SECRET) -> dict[str, str]:
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(stamp), body=body)
    return {"x-slack-request-timestamp": str(stamp), "x-slack-signature": signature}


def test_a_request_signed_as_slack_signs_is_accepted_and_read():
    inbound.check_signature(SECRET, BODY, _headers(), now=NOW + 299)

    request = inbound.bolt_request(
        BODY, _headers() | {"content-type": "application/x-www-form-urlencoded"}
    )

    assert request.body["text"] == "ctr apply"


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, "not signed"),
        (_headers(stamp=NOW - 301), "more than 5 minutes"),
        (_headers(stamp=NOW + 301), "more than 5 minutes"),  # from the future: a wrong clock
        (_headers(secret="another-secret"), "does not match"),
        (_headers() | {"x-slack-request-timestamp": "١٨٠٠٠٠٠٠٠٠"}, "not a number"),  # digits
        (_headers() | {"x-slack-request-timestamp": "-1"}, "not a number"),
    ],
    ids=["missing", "stale", "future", "other-secret", "arabic-digits", "negative"],
)
def test_anything_else_is_refused_with_401(headers, says):
    with pytest.raises(inbound.Refused) as refused:
        inbound.check_signature(SECRET, BODY, headers, now=NOW)

    assert refused.value.status == 401
    assert says in refused.value.why


@pytest.mark.parametrize(
    "body",
    ["payload=null", "payload=%5B1%5D", '{"type": "event_callback", "event": [1]}', "payload=%7B"],
)
def test_every_bolt_request_refuses_a_body_bolt_would_trip_over(body):
    # Every mode's BoltRequest parses through bolt_fixes: the console and tests too.
    bolt_fixes.apply()

    with pytest.raises(bolt_fixes.UnreadableBody):
        BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})


def test_a_slash_command_mentioning_payload_is_still_a_slash_command():
    bolt_fixes.apply()

    request = BoltRequest(body="command=%2Fanswer&text=payload+breakdown")

    assert request.body["text"] == "payload breakdown"
