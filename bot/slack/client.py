"""The Slack Web API client every part of Deskmate talks to Slack through: Slack's own URL
or a stand-in's (the console, tests), a timeout, retries that cannot do anything twice
(bot.slack.retries), and a count of every call (bot.metrics)."""

from __future__ import annotations

import os
from typing import Any

from slack_sdk import WebClient

from bot import metrics
from bot.config.settings import SLACK_TIMEOUT_SECONDS
from bot.slack.retries import retry_handlers

DEFAULT_API_URL = "https://slack.com/api/"


# The console and the tests stand in for Slack with these when no real token is set.
CONSOLE_TOKEN = "xoxb-deskmate-console"


def api_url() -> str:
    """The Slack Web API base URL: `SLACK_API_URL` (tests, proxies) or Slack's own."""
    url = os.environ.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def make_client(
    token: str | None,
    *,
    base_url: str | None = None,
    timeout: float = SLACK_TIMEOUT_SECONDS,
) -> WebClient:
    """A Web API client that gives Slack `timeout` seconds to answer each call, waits out
    rate limits (429 Retry-After), and tries again after an error page or a dropped
    connection when that cannot do anything twice (bot.slack.retries; posts that
    must appear once go through bot.slack.posting)."""
    return CountingWebClient(
        token=token,
        base_url=base_url or api_url(),
        timeout=timeout,
        retry_handlers=retry_handlers(),
    )


class CountingWebClient(WebClient):
    """A WebClient that counts each Web API call by method and outcome, once its retries
    are done: every post, DM, modal and upload goes through `api_call`."""

    def api_call(self, api_method: str, **kwargs: Any):
        try:
            response = super().api_call(api_method, **kwargs)
        except Exception:
            metrics.slack_call(api_method, ok=False)
            raise
        metrics.slack_call(api_method, ok=True)
        return response
