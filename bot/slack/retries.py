"""Which failed Web API calls the WebClient tries again by itself (slack_sdk's retry
handlers), and which it must not.

A call Slack never received can always be sent again: a rate limit (429: Slack waits
`Retry-After` seconds and did nothing), or a connection that failed before the request was
sent (urllib reports those as URLError). A call Slack may have acted on is different: an
error page (5xx), or a request that went out and got no answer (a timeout, or the
connection dropped or reset while waiting). Sending one of those again is harmless when
the call only reads or sets something (users.info, views.publish), but a second
chat.postMessage would post twice. So the client repeats those only for methods that are
safe to repeat, and posting (bot.slack.posting) settles the others by looking for the first
attempt in the channel before posting again.
"""

from __future__ import annotations

from http.client import HTTPException
from urllib.error import URLError
from urllib.parse import urlsplit

from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

RETRIES = 2  # more attempts after the first, whatever went wrong (the handlers share a count)
# Methods that make something new each time they are called: never sent again by the
# client when Slack may already have acted on them.
NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "files.completeUploadExternal",
        "files.upload",
        # A modal opens from a trigger_id, which works once: if Slack acted on the first
        # call, a second fails ("expired_trigger_id") and hides what happened.
        "views.open",
        "views.push",
    }
)


def method_of(request: HttpRequest) -> str:
    return urlsplit(request.url).path.rsplit("/", 1)[-1]


def unanswered(error: BaseException | None) -> bool:
    """The request went out but no answer came back: Slack may have acted on it.

    urllib wraps what goes wrong while connecting and sending in URLError; what goes wrong
    while waiting for or reading the answer (a timeout, a reset, a dropped connection)
    arrives as it is."""
    if error is None or isinstance(error, URLError):
        return False
    return isinstance(error, OSError | HTTPException)


class ConnectionErrorRetry(RetryHandler):
    """A connection that failed before the request went out, for any method; one that
    failed after, only for a method that is safe to repeat."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None or error is None:
            return False
        if isinstance(error, URLError):
            return True
        return unanswered(error) and method_of(request) not in NOT_REPEATABLE


class ServerErrorRetry(ServerErrorRetryHandler):
    """Any 5xx error page (slack_sdk's own handler knows only 500 and 503), for a method
    that is safe to repeat."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return (
            response is not None
            and response.status_code >= 500
            and method_of(request) not in NOT_REPEATABLE
        )


def retry_handlers() -> list[RetryHandler]:
    return [
        RateLimitErrorRetryHandler(max_retry_count=RETRIES),
        ServerErrorRetry(max_retry_count=RETRIES),
        ConnectionErrorRetry(max_retry_count=RETRIES),
    ]
