"""`deskmate manifest`: the Slack app manifest, its checked-in copy, and that it names
exactly the commands the app answers."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
import yaml
from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.config.settings import load_settings
from bot.entry.app import create_app
from bot.slack import manifest

REQUEST_URL = "https://deskmate.example.gov.uk/slack/events"


def test_the_checked_in_manifest_is_what_deskmate_prints(cli):
    code, out, _ = cli("manifest")

    assert code == 0
    assert out == manifest.CHECKED_IN.read_text(encoding="utf-8"), (
        "slack-manifest.yaml is out of date: run `deskmate manifest > slack-manifest.yaml`"
    )


def test_the_manifest_sets_up_socket_mode_with_every_command():
    data = yaml.safe_load(manifest.render())

    assert data["display_information"]["name"] == "Deskmate"
    assert data["features"]["bot_user"]["display_name"] == "Deskmate"
    commands = data["features"]["slash_commands"]
    assert [command["command"] for command in commands] == [
        "/answer",
        "/kudos",
        "/training",
        "/reports",
    ]
    for command in commands:
        # Mentions as member IDs, and @here/@channel as tokens that /kudos shows as text.
        assert command["should_escape"] is True
        assert command["usage_hint"] and command["description"]
        assert "url" not in command  # Socket Mode: Slack sends nothing to a URL
    assert set(data["oauth_config"]["scopes"]["bot"]) >= {"commands", "chat:write", "users:read"}
    # Kudos recipients and new starters get DMs in the Messages tab, which they can't write in.
    assert data["features"]["app_home"]["messages_tab_enabled"] is True
    assert data["features"]["app_home"]["messages_tab_read_only_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert data["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]


def test_the_manifest_explains_each_scope_in_comments():
    lines = manifest.render().splitlines()
    for scope in manifest.manifest()["oauth_config"]["scopes"]["bot"]:
        at = lines.index(f"      - {scope}")
        assert lines[at - 1].lstrip().startswith("#"), f"no comment says why {scope} is needed"


def test_json_is_the_same_manifest(cli):
    code, out, _ = cli("manifest", "--json")

    assert code == 0
    assert json.loads(out) == manifest.manifest()


@pytest.mark.parametrize("as_json", [False, True])
def test_http_mode_sends_every_request_to_the_request_url(cli, as_json):
    code, out, _ = cli("manifest", "--request-url", REQUEST_URL, *(["--json"] if as_json else []))

    data = json.loads(out) if as_json else yaml.safe_load(out)
    assert code == 0
    assert data["settings"]["socket_mode_enabled"] is False
    assert data["settings"]["interactivity"]["request_url"] == REQUEST_URL
    # The knowledge gap menus load their options from the same place.
    assert data["settings"]["interactivity"]["message_menu_options_url"] == REQUEST_URL
    assert data["settings"]["event_subscriptions"]["request_url"] == REQUEST_URL
    assert [c["url"] for c in data["features"]["slash_commands"]] == [REQUEST_URL] * 4
    assert manifest.manifest()["settings"]["socket_mode_enabled"] is True  # left alone


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://deskmate.example.gov.uk/slack/events", "https://"),
        ("https://deskmate.example.gov.uk/", "/slack/events"),
        ("https://", "https://"),
    ],
)
def test_a_request_url_slack_cannot_use_is_refused(cli, url, complaint):
    code, out, err = cli("manifest", "--request-url", url)

    assert code == 2
    assert out == ""
    assert complaint in err


def test_every_command_in_the_manifest_is_answered_by_the_app(write_config, slack_api, monkeypatch):
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)  # Bolt's auth.test on first use
    secret = "manifest-test-secret"
    app = create_app(load_settings(write_config()), signing_secret=secret)
    verifier = SignatureVerifier(secret)
    for command in manifest.manifest()["features"]["slash_commands"]:
        body = urlencode(
            {
                "command": command["command"],
                "text": "",
                "user_id": "U1",
                "channel_id": "C1",
                "team_id": "T1",
                "response_url": slack_api.response_url(),
                "trigger_id": "1.2.3",
            }
        )
        timestamp = str(int(time.time()))
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": verifier.generate_signature(timestamp=timestamp, body=body),
        }

        response = app.dispatch(BoltRequest(body=body, headers=headers))

        assert response.status == 200, f"{command['command']} is in the manifest but unanswered"
