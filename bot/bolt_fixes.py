"""A correction to Bolt for Python (1.x) that our users would otherwise meet.

Bolt reads a form-encoded request as an interactive payload whenever the word "payload"
appears anywhere in its body, so a slash command whose text contains it (`/answer payload
breakdown`, a kudos "for sorting the payload report") becomes an empty request that no
listener matches: Slack shows the CSR "dispatch_failed". Here a form is an interactive
payload only when it has a `payload` field, as Slack sends them.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from slack_bolt.request import internals, request

_bolt_parse_body = internals.parse_body


def parse_body(body: str, content_type: str | None) -> dict:
    if body and content_type != "application/json" and not body.startswith("{"):
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" not in fields:
            return fields
    return _bolt_parse_body(body, content_type)


def apply() -> None:
    """Make every BoltRequest (Socket Mode, HTTP mode, the console, tests) read bodies so."""
    request.parse_body = parse_body
