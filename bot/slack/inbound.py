"""A request from Slack over HTTP, read the safe way round: its signature checked on the raw
bytes before anything in it is decoded or parsed, and only then its body.

Bolt reads the body (and the timestamp header) before it checks the signature, so anyone who
can reach `/slack/events` could make it raise on a body that is not UTF-8 or not JSON, or on
a timestamp that is not a number: a 500 and a traceback in the log each time, a cheap way to
flood the logs. Here a request not signed with the signing secret is refused (401) without
its body being read; a signed one whose body cannot be read (Slack never sends one, so it is
a bug or a leaked secret) is refused as a bad request (400). The caller logs one line for
either, never the body.

Nothing here depends on the web server, so any front to the Bolt app (WSGI today) can use it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

from slack_bolt.request import BoltRequest

from bot.slack import bolt_fixes

# Slack's own rule: a signature older than this may be a replay of a request seen before.
MAX_AGE_SECONDS = 5 * 60

bolt_fixes.apply()  # the body checks below are in the parsing bolt_fixes gives Bolt


class Refused(Exception):
    """Not a request to act on: `status` is what to answer (401 or 400), `why` a few words
    for the log, free of anything the request said."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status, self.why = status, why


def check_signature(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float | None = None,
) -> None:
    """Raise Refused(401) unless `body` is signed with `secret` and signed recently, as
    Slack signs: `v0=` and the HMAC-SHA256 of `v0:<timestamp>:<body>`. `headers` have
    lower-case names."""
    timestamp = headers.get("x-slack-request-timestamp") or ""
    signature = headers.get("x-slack-signature") or ""
    if not timestamp or not signature:
        raise Refused(401, "not signed")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise Refused(401, "the signature's timestamp is not a number")
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE_SECONDS:
        raise Refused(401, "signed more than 5 minutes ago (or this server's clock is wrong)")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    # Bytes, as compare_digest takes only ASCII strings; a header is whatever was sent.
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Refused(401, "the signature does not match the signing secret")


def bolt_request(body: bytes, headers: Mapping[str, str], query: str = "") -> BoltRequest:
    """The BoltRequest for a request whose signature has been checked; Refused(400) when
    its body cannot be read as one of Slack's."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8 text") from None
    try:
        return BoltRequest(body=text, query=query, headers=dict(headers))
    except bolt_fixes.UnreadableBody as error:
        raise Refused(400, str(error)) from None
