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

Bolt also trusts a body's shape: a payload of `[]` or `null`, or `actions` that is not a
list of actions, raises deep inside it (500, and a traceback). Slack never sends such a
body, so `parse_body` refuses it, and JSON that does not parse, as `UnreadableBody`, for
the HTTP front to answer 400 (bot.slack.inbound).

Bolt waits for a listener's `ack()` by looking every 10 ms (`time.sleep(0.01)` in
slack_bolt/listener/thread_runner.py), which added 5-10 ms to nearly every answer, most of
`/answer`'s time over HTTP. `apply` gives each request's Ack an event that `ack()` sets, and
that loop a sleep that waits on the event instead, so the reply goes as soon as it exists.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_bolt.context import context
from slack_bolt.context.ack import Ack
from slack_bolt.listener import thread_runner
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request import internals, request

_bolt_parse_body = internals.parse_body


# Parts of a body Bolt reads as objects (body["event"]["type"], view["callback_id"] ...),
# and those it reads as an ID or an object with an `id`.
_OBJECTS = ("event", "view", "container", "message", "previous_message", "item", "state")
_IDS = ("team", "user", "channel", "enterprise")


class UnreadableBody(ValueError):
    """A request body that is not one of Slack's; the message says why, in a few words."""


def parse_body(body: str, content_type: str | None) -> dict:
    if body and content_type != "application/json" and not body.startswith("{"):
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" not in fields:
            return fields
    try:
        parsed = _bolt_parse_body(body, content_type)
    except ValueError:
        raise UnreadableBody("the body is not the JSON it says it is") from None
    problem = shape_problem(parsed)
    if problem:
        raise UnreadableBody(problem)
    return parsed


def shape_problem(body: object) -> str | None:
    """What in a parsed body Bolt would trip over, or None."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    for part in (body, body.get("event")):
        if not isinstance(part, dict):
            continue
        for name in _OBJECTS:
            if part.get(name) is not None and not isinstance(part[name], dict):
                return f"`{name}` is not an object"
        for name in _IDS:
            if part.get(name) is not None and not isinstance(part[name], (str, dict)):
                return f"`{name}` is neither an ID nor an object"
        if "type" in part and not isinstance(part["type"], str):
            return "`type` is not text"
    actions = body.get("actions")
    if actions is not None:
        if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
            return "`actions` is not a list of actions"
        if body.get("type") == "block_actions" and not (
            actions and all(isinstance(a.get("action_id"), str) for a in actions)
        ):
            return "a block action without an `action_id`"
    if body.get("type") == "block_suggestion" and not isinstance(body.get("action_id"), str):
        return "an options request without an `action_id`"
    urls = body.get("response_urls")
    if urls is not None and not (isinstance(urls, list) and all(isinstance(u, dict) for u in urls)):
        return "`response_urls` is not a list of objects"
    return None


# The ack each thread made last: Bolt makes a request's Ack in the thread that then waits
# for it (BoltContext.ack, first read in App.dispatch's thread).
_made_here = threading.local()


class SignalledAck(Ack):
    """Bolt's Ack, with `given` set once `ack()` has given it a response."""

    def __init__(self) -> None:
        self.given = threading.Event()
        super().__init__()
        _made_here.given = self.given

    @property
    def response(self):
        return self._response

    @response.setter
    def response(self, value) -> None:
        self._response = value
        if value is None:
            self.given.clear()
        else:
            self.given.set()


class _UntilAcked:
    """Stands in for the `time` module in Bolt's thread_runner, whose only sleep is the
    wait for `ack()`: it ends when this thread's Ack is given a response."""

    time = staticmethod(time.time)

    @staticmethod
    def sleep(seconds: float) -> None:
        given = getattr(_made_here, "given", None)
        if given is None or given.is_set():
            # Not an Ack of this thread's own (or an old one, already given): Bolt's own
            # wait, so nothing can spin.
            time.sleep(seconds)
        else:
            given.wait(seconds)


def apply() -> None:
    """Make every BoltRequest (Socket Mode, HTTP mode, the console, tests) read bodies so,
    and every listener's reply go as soon as it acks."""
    request.parse_body = parse_body
    context.Ack = SignalledAck
    thread_runner.time = _UntilAcked


class _NotTheClientWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def quiet_client_warning(logger: logging.Logger) -> logging.Logger:
    """The logger given to Bolt's App, without Bolt's warning about the token and client."""
    if not any(isinstance(f, _NotTheClientWarning) for f in logger.filters):
        logger.addFilter(_NotTheClientWarning())
    return logger


def signing_secret(app: App) -> str:
    """The secret `app` verifies requests with: the HTTP front checks signatures with the
    same one before Bolt reads anything (bot.slack.inbound). Bolt keeps it to itself."""
    return app._signing_secret
