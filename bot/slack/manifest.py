"""The Slack app manifest: paste it into https://api.slack.com/apps ("Create New App", "From
an app manifest") and the app has every command, scope and setting Deskmate needs.

The YAML below is the one source: `deskmate manifest` prints it, `slack-manifest.yaml` in the
repository is a copy (a test keeps them equal), and the comments travel with it so an admin
can see why each scope is asked for.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

CHECKED_IN = Path(__file__).resolve().parents[2] / "slack-manifest.yaml"

MANIFEST_YAML = """\
# Slack app manifest for Deskmate, printed by `deskmate manifest`.
# Create the app at https://api.slack.com/apps: "Create New App", "From an app manifest",
# pick the workspace and paste this. Then, in the app's settings:
#   1. "Basic Information", "App-Level Tokens": generate a token with the
#      connections:write scope; it is SLACK_APP_TOKEN (xapp-...).
#   2. "Install App": install to the workspace; the Bot User OAuth Token is
#      SLACK_BOT_TOKEN (xoxb-...).
# Socket Mode is on, so Deskmate needs no public URL: it connects out to Slack.
# For HTTP mode instead, print the manifest with `deskmate manifest --request-url URL`.
display_information:
  name: Deskmate
  description: The approved answer to a caller's question while they wait.
  background_color: "#1d4f91"
features:
  app_home:
    # The Home tab shows each person's recent searches, the kudos they received and, for a
    # new starter, their training.
    home_tab_enabled: true
    # Kudos recipients and new starters' lessons arrive as direct messages from Deskmate
    # here; nobody writes back.
    messages_tab_enabled: true
    messages_tab_read_only_enabled: true
  bot_user:
    display_name: Deskmate
    always_online: true
  slash_commands:
    - command: /answer
      description: The approved answer to what the caller asked
      usage_hint: what the caller asked, e.g. council tax discount living alone
      # Mentions arrive as IDs (<@U123>), not display names that can change.
      should_escape: true
    - command: /kudos
      description: Recognise a colleague's good work, in public
      usage_hint: "@colleague for what they did #value  (or: mine, leaderboard)"
      # Recipients arrive as member IDs, and @channel or @here as tokens Deskmate shows as
      # plain text, so a kudos never pings a whole channel.
      should_escape: true
    - command: /training
      description: The ten-week new-starter programme and your progress
      usage_hint: "progress [@name]  (supervisors: enrol @name [YYYY-MM-DD])"
      # The starter arrives as a member ID, which Deskmate checks with users.info.
      should_escape: true
    - command: /reports
      description: "Supervisors: knowledge gaps and feedback on answers"
      usage_hint: "gaps [week|month]  or  feedback [week|month]"
      # Only words are read; escaped like the others, so nothing typed becomes markup.
      should_escape: true
oauth_config:
  scopes:
    bot:
      # /answer, /kudos, /training and /reports.
      - commands
      # "Share in channel", feedback to the article owners' channels, kudos posts and
      # the direct messages kudos recipients and new starters get.
      - chat:write
      # Post to a public owners' or kudos channel without first inviting Deskmate to it.
      - chat:write.public
      # Upload the monthly figures chart to the supervisors' channel (files_upload_v2).
      - files:write
      # /kudos checks each recipient is a person with an active account (not a bot),
      # and reads the giver's time zone for their daily allowance; /training enrol checks
      # a new starter the same way and keeps their time zone for their lessons.
      - users:read
      # `deskmate figures import` matches phone-system agents given by e-mail to their
      # Slack accounts (users.lookupByEmail).
      - users:read.email
      # When Slack does not answer a post (a timeout, a dropped connection, an error page),
      # Deskmate reads the channel's recent messages to see whether the post went out before
      # posting it again, so a kudos or a scheduled post never appears twice: public
      # channels,
      - channels:history
      # private channels,
      - groups:history
      # and its direct messages to kudos recipients and new starters,
      - im:history
      # which it finds by opening the DM (conversations.open).
      - im:write
      # To read a public channel it posts in without being a member (chat:write.public),
      # it joins the channel first.
      - channels:join
settings:
  event_subscriptions:
    bot_events:
      # Draw the Home tab when someone opens it.
      - app_home_opened
  interactivity:
    # The answer's buttons, the feedback and edit-suggestion forms, the kudos form, the
    # training quiz's answers, "Mark reviewed" and removing a learned phrasing on review
    # reminders, and the menus that link a knowledge gap to an article (their options
    # come from Deskmate as a supervisor types).
    is_enabled: true
  org_deploy_enabled: false
  socket_mode_enabled: true
  token_rotation_enabled: false
"""


HTTP_HEADER = """\
# Slack app manifest for Deskmate in HTTP mode, printed by `deskmate manifest --request-url`.
# Create the app at https://api.slack.com/apps from this manifest and install it; then set
# SLACK_SIGNING_SECRET ("Basic Information") and SLACK_BOT_TOKEN ("Install App", xoxb-...)
# for `deskmate serve --http`. Slack must reach the request URL over HTTPS.
"""


def manifest() -> dict[str, Any]:
    """The manifest as data (Socket Mode)."""
    return yaml.safe_load(MANIFEST_YAML)


def for_http(request_url: str) -> dict[str, Any]:
    """The manifest for HTTP mode: Slack sends everything to `request_url`, which is
    `deskmate serve --http` behind the council's HTTPS proxy, ending in /slack/events."""
    data = copy.deepcopy(manifest())
    for command in data["features"]["slash_commands"]:
        command["url"] = request_url
    data["settings"]["event_subscriptions"]["request_url"] = request_url
    data["settings"]["interactivity"]["request_url"] = request_url
    # The knowledge gap menus (external_select) load their options from here too.
    data["settings"]["interactivity"]["message_menu_options_url"] = request_url
    data["settings"]["socket_mode_enabled"] = False
    return data


def render(*, as_json: bool = False, request_url: str | None = None) -> str:
    """What `deskmate manifest` prints: the commented YAML unless asked otherwise."""
    if request_url is None and not as_json:
        return MANIFEST_YAML
    data = manifest() if request_url is None else for_http(request_url)
    if as_json:
        return json.dumps(data, indent=2) + "\n"
    return HTTP_HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def check_request_url(url: str) -> str:
    """Slack only sends to HTTPS; a request URL must be the full address of /slack/events."""
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise ValueError(f"the request URL must start with https://, got {url!r}")
    if not url.rstrip("/").endswith("/slack/events"):
        raise ValueError(
            f"the request URL must end with /slack/events (where Deskmate listens), got {url!r}"
        )
    return url
