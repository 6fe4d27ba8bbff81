"""Request bodies as Slack sends them for `/answer`, its buttons and its modals (and events),
and the signed `BoltRequest`s that carry them to `app.dispatch`."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

USER = "U0CSR00001"
CHANNEL = "C0CALLS001"
TEAM = "T0COUNCIL1"
RESPONSE_URL = "https://hooks.slack.com/commands/T0COUNCIL1/1/unused"


def command_body(text: str, *, user_id: str = USER, response_url: str = RESPONSE_URL) -> dict:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "team_domain": "council",
        "channel_id": CHANNEL,
        "channel_name": "calls",
        "user_id": user_id,
        "user_name": "csr",
        "command": "/answer",
        "text": text,
        "api_app_id": "A0DESKMATE",
        "response_url": response_url,
        "trigger_id": "1001.2002.abcdef",
    }


def action_body(
    action_id: str, value: str, *, user_id: str = USER, response_url: str = RESPONSE_URL
) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "council"},
        "user": {"id": user_id, "username": "csr", "team_id": TEAM},
        "api_app_id": "A0DESKMATE",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000200",
            "channel_id": CHANNEL,
            "is_ephemeral": True,
        },
        "trigger_id": "1001.2002.fedcba",
        "channel": {"id": CHANNEL, "name": "calls"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "answer_buttons",
                "text": {"type": "plain_text", "text": "a button"},
                "value": value,
                "action_ts": "1700000001.000300",
            }
        ],
    }


def choice_body(
    action_id: str,
    block_id: str,
    value: str,
    *,
    kind: str = "overflow",
    user_id: str = USER,
    response_url: str = RESPONSE_URL,
) -> dict:
    """A block_actions for choosing `value` in a menu (`kind`: overflow, external_select)."""
    body = action_body(action_id, "", user_id=user_id, response_url=response_url)
    body["actions"] = [
        {
            "type": kind,
            "action_id": action_id,
            "block_id": block_id,
            "selected_option": {
                "text": {"type": "plain_text", "text": "an option"},
                "value": value,
            },
            "action_ts": "1700000001.000300",
        }
    ]
    return body


def suggestion_body(action_id: str, block_id: str, typed: str, *, user_id: str = USER) -> dict:
    """A block_suggestion: Slack asking for the options of an external_select as a person
    opens it (`typed` empty) or types in it."""
    return {
        "type": "block_suggestion",
        "user": {"id": user_id, "username": "csr", "team_id": TEAM},
        "container": {
            "type": "message",
            "message_ts": "1700000000.000200",
            "channel_id": CHANNEL,
            "is_ephemeral": True,
        },
        "api_app_id": "A0DESKMATE",
        "token": "legacy-verification-token",
        "action_id": action_id,
        "block_id": block_id,
        "value": typed,
        "team": {"id": TEAM, "domain": "council"},
        "channel": {"id": CHANNEL, "name": "calls"},
    }


def submission_body(
    callback_id: str,
    private_metadata: str,
    values: dict[str, str | None],
    *,
    user_id=USER,
    view_id: str | None = None,
) -> dict:
    """A view_submission of one of our modals; `values` maps block id to what was typed.
    Each form is a new view (its own id) unless `view_id` names one sent before."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "council"},
        "user": {"id": user_id, "username": "csr", "team_id": TEAM},
        "api_app_id": "A0DESKMATE",
        "token": "legacy-verification-token",
        "trigger_id": "1001.2002.submit",
        "view": {
            "id": view_id or "V" + uuid.uuid4().hex[:10].upper(),
            "team_id": TEAM,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {
                "values": {
                    block_id: {"text": {"type": "plain_text_input", "value": value}}
                    for block_id, value in values.items()
                }
            },
        },
        "response_urls": [],
    }


def signed(secret: str, raw: str, content_type: str, *, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=raw)
    return {
        "content-type": [content_type],
        "x-slack-request-timestamp": [str(timestamp)],
        "x-slack-signature": [signature],
    }


def command_request(secret: str, body: dict) -> BoltRequest:
    raw = urlencode(body)
    return BoltRequest(body=raw, headers=signed(secret, raw, "application/x-www-form-urlencoded"))


def payload_request(secret: str, payload: dict) -> BoltRequest:
    """Interactions (buttons, modal submissions) come form-encoded as `payload=<json>`."""
    raw = urlencode({"payload": json.dumps(payload)})
    return BoltRequest(body=raw, headers=signed(secret, raw, "application/x-www-form-urlencoded"))


def event_request(secret: str, event: dict) -> BoltRequest:
    """An Events API callback (such as app_home_opened) carrying `event`, as JSON."""
    raw = json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A0DESKMATE",
            "event": event,
            "event_id": "Ev" + uuid.uuid4().hex[:10],
            "event_time": int(time.time()),
        }
    )
    return BoltRequest(body=raw, headers=signed(secret, raw, "application/json"))
