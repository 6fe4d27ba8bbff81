"""The real app for a test, as Slack would reach it: Bolt verifying every request with one
signing secret, its production Web API client (retries and all) aimed at the recording fake
Slack on loopback, over the test's own database."""

from __future__ import annotations

from slack_bolt import App

from bot.config.settings import Settings
from bot.entry.app import create_app
from bot.slack.client import CONSOLE_TOKEN, make_client

SECRET = "d1f3c0ffee5ec2e7d1f3c0ffee5ec2e7"  # tests sign their requests with it


def signed_app(settings: Settings, slack, engine, **options) -> App:
    """`create_app` over `engine`, talking to `slack` (a FakeSlack); `options` as create_app
    takes them (process_before_response, clock, ...)."""
    client = make_client(CONSOLE_TOKEN, base_url=slack.api_url)
    return create_app(settings, client=client, signing_secret=SECRET, engine=engine, **options)
