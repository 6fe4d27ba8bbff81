"""Which Web API calls the client repeats by itself (bot.slack.retries): rate limits and
connections that never opened for any method, error pages and timeouts only for methods that
cannot create something twice; and the client's timeout and scopes from configuration."""

from __future__ import annotations

from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.config.settings import load_settings
from bot.entry.app import create_app
from bot.slack import manifest
from bot.slack.client import make_client
from bot.slack.retries import ConnectionErrorRetry, ServerErrorRetry
from scheduler.delivery import JobContext

from ...slack_fake import SERVER_ERROR, TIMEOUT
from .test_faults import TRAINING, fast_client

# -- which calls the client repeats by itself --------------------------------------------------


def _request(method: str) -> HttpRequest:
    return HttpRequest(method="POST", url=f"https://slack.com/api/{method}", headers={})


@pytest.mark.parametrize(
    ("method", "error", "repeated"),
    [
        ("chat.postMessage", URLError(ConnectionRefusedError(111, "refused")), True),
        ("chat.postMessage", TimeoutError("timed out"), False),
        ("chat.postMessage", ConnectionResetError(104, "reset"), False),
        ("users.info", TimeoutError("timed out"), True),
        ("conversations.history", ConnectionResetError(104, "reset"), True),
    ],
)
def test_a_connection_error_is_repeated_only_when_it_cannot_post_twice(method, error, repeated):
    handler = ConnectionErrorRetry(max_retry_count=2)

    assert handler.can_retry(state=RetryState(), request=_request(method), error=error) is repeated


def test_a_post_that_timed_out_is_not_repeated_by_the_client(slack_api):
    slack_api.fault("chat.postMessage", TIMEOUT, effect=True)

    with pytest.raises(TimeoutError):
        fast_client(slack_api).chat_postMessage(channel=TRAINING, text="Hello")

    assert len(slack_api.called("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("method", "status", "repeated"),
    [
        ("users.info", 502, True),
        ("views.publish", 504, True),
        ("views.open", 504, False),  # its trigger_id works once
        ("chat.postMessage", 500, False),
        ("files.completeUploadExternal", 503, False),
        ("users.info", 404, False),
    ],
)
def test_an_error_page_is_repeated_only_when_it_cannot_post_twice(method, status, repeated):
    response = HttpResponse(status_code=status, headers={})

    assert (
        ServerErrorRetry(max_retry_count=2).can_retry(
            state=RetryState(), request=_request(method), response=response
        )
        is repeated
    )


@pytest.mark.parametrize("fault", [SERVER_ERROR, TIMEOUT])
def test_a_modal_is_not_opened_twice_from_one_trigger(slack_api, fault):
    slack_api.fault("views.open", fault, status=502, body="", effect=True)

    with pytest.raises((SlackApiError, TimeoutError)):
        fast_client(slack_api).views_open(trigger_id="1.2.abc", view={"type": "modal"})

    assert len(slack_api.called("views.open")) == 1


def test_reads_are_repeated_through_error_pages_and_timeouts(slack_api):
    slack_api.fault("users.info", SERVER_ERROR, status=502, body="")
    slack_api.fault("users.info", TIMEOUT)

    response = fast_client(slack_api).users_info(user="U0ALEX0001")

    assert response["ok"] is True
    assert [call.fault for call in slack_api.called("users.info")] == [SERVER_ERROR, TIMEOUT, None]


# -- configuration -----------------------------------------------------------------------------


def test_the_client_timeout_comes_from_app_yaml(engine, write_config):
    settings = load_settings(write_config("slack:\n  timeout_seconds: 4\n"))

    assert create_app(settings, engine=engine).client.timeout == 4
    assert JobContext(settings=settings, engine=engine).client.timeout == 4
    assert make_client("xoxb-default").timeout == 10  # without app.yaml saying


def test_the_manifest_asks_for_the_scopes_to_look_for_a_post():
    scopes = set(manifest.manifest()["oauth_config"]["scopes"]["bot"])

    assert {"channels:history", "groups:history", "im:history", "im:write", "channels:join"} <= (
        scopes
    )
