"""What a real Slack or network sometimes does, for the fake Slack (tests/slack_fake.py) to
do on request: the fault kinds `.fault` takes, and the answer each gives."""

from __future__ import annotations

import json
from dataclasses import dataclass

# Fault kinds for `.fault`.
RATE_LIMITED = "rate_limited"  # 429 with Retry-After; Slack did nothing
SERVER_ERROR = "server_error"  # a 5xx error page (HTML, or empty)
TIMEOUT = "timeout"  # no reply: held until the client gives up, then dropped
RESET = "reset"  # the connection is reset once the request has been read
ANY = "*"  # `.fault(ANY, ...)`: whichever method is called next

_KINDS = (RATE_LIMITED, SERVER_ERROR, TIMEOUT, RESET)
ERROR_PAGE = "<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"


@dataclass(frozen=True)
class _Fault:
    kind: str
    status: int
    body: str
    retry_after: int
    effect: bool


@dataclass(frozen=True)
class _Answer:
    status: int = 200
    text: str = ""
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    fault: str | None = None  # TIMEOUT and RESET send no answer


def _faulted(fault: _Fault) -> _Answer:
    if fault.kind == RATE_LIMITED:
        return _Answer(
            status=429,
            text=json.dumps({"ok": False, "error": "ratelimited"}),
            headers=(("Retry-After", str(fault.retry_after)),),
            fault=RATE_LIMITED,
        )
    if fault.kind == SERVER_ERROR:
        return _Answer(
            status=fault.status,
            text=fault.body,
            content_type="text/html; charset=utf-8",
            fault=SERVER_ERROR,
        )
    return _Answer(fault=fault.kind)


def _acted(status: int, text: str) -> bool:
    """Whether Slack did what a call asked, from the answer `.reply` gave it."""
    if status != 200:
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return True  # a response URL's plain "ok"
    return not (isinstance(data, dict) and data.get("ok") is False)
