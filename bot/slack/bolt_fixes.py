"""Corrections to Bolt for Python (1.x) that our users would otherwise meet.

Bolt warns "As you gave `client` as well, `token` will be unused" whenever SLACK_BOT_TOKEN
is set and the app is given its client, which Deskmate always does (the client carries
the retries and the API address): an IT admin reading the first start's log would take it
for a mistake of theirs. `quiet_client_warning` drops that one line.

Bolt reads a form-encoded request as an interactive payload whenever the word "payload"
appears anywhere in its body, so a slash command whose text contains it (`/answer payload
breakdown`, a kudos "for sorting the payload report") becomes an empty request that no
listener matches: Slack shows the CSR "dispatch_failed". Here a form is an interactive
payload only when it has a `payload` field, as Slack sends them.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
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


class _NotTheClientWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def quiet_client_warning(logger: logging.Logger) -> logging.Logger:
    """The logger given to Bolt's App, without Bolt's warning about the token and client."""
    if not any(isinstance(f, _NotTheClientWarning) for f in logger.filters):
        logger.addFilter(_NotTheClientWarning())
    return logger
