"""A small stand-in for Slack on 127.0.0.1, for the console: the Web API and response URLs.

The console's Bolt app talks to this exactly as it would to slack.com (its `WebClient`'s
base URL points here); this records what the app sent so the console can show it, and
answers the way Slack does, with just enough in each reply for the app to carry on.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_PREFIX = "/api/"
RESPOND_PREFIX = "/respond/"
UPLOAD_PREFIX = "/upload/"

TEAM = {"id": "T0LOCAL", "domain": "deskmate-console"}
USER = {"id": "U0CONSOLE", "name": "you", "real_name": "You (console)"}
# The console's small workspace: the people a line or a form can name (@sam), each with a
# fixed member ID, so what is stored in one session still has a name in the next.
PEOPLE = {
    USER["id"]: USER,
    "U0SAM": {"id": "U0SAM", "name": "sam", "real_name": "Sam Patel"},
    "U0ALEX": {"id": "U0ALEX", "name": "alex", "real_name": "Alex Morgan"},
    "U0PRIYA": {"id": "U0PRIYA", "name": "priya", "real_name": "Priya Shah"},
    "U0JO": {"id": "U0JO", "name": "jo", "real_name": "Jo Evans"},
    "U0CHRIS": {"id": "U0CHRIS", "name": "chris", "real_name": "Chris Okafor"},
}
TIME_ZONE = "Europe/London"
BOT = {"id": "U0DESKMATE", "bot_id": "B0DESKMATE", "name": "deskmate"}
APP_ID = "A0DESKMATE"
CHANNELS = {"C0GENERAL": "general"}  # where the console's person types
HOME_CHANNEL = "C0GENERAL"

# Arguments the Web API takes as JSON text when they arrive form-encoded.
_JSON_ARGS = ("blocks", "attachments", "view", "metadata")


@dataclass
class Event:
    """Something the app sent: a Web API call or a post to a response URL."""

    kind: str  # a Web API method such as "chat.postMessage", or "response_url"
    args: dict[str, Any]
    reply: dict[str, Any] = field(default_factory=dict)  # what Slack's answer carried


class LocalSlack:
    """`with LocalSlack() as slack:` serves on a free loopback port until the block ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[Event] = []
        self._serial = 0
        self._started = time.time_ns() // 1_000
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll so closing (at the end of every console session) is quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> LocalSlack:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.base + API_PREFIX

    def new_response_url(self) -> str:
        return f"{self.base}{RESPOND_PREFIX}{uuid.uuid4().hex}"

    def next_id(self, prefix: str) -> str:
        with self._lock:
            self._serial += 1
            return f"{prefix}{self._serial:08d}"

    def next_ts(self) -> str:
        with self._lock:
            self._serial += 1
            # From this session's start, as Slack's are unique: an answer card in this
            # session is never taken for one from an earlier session (feedback is one
            # opinion per person and card).
            micros = self._started + self._serial
            return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def take_events(self) -> list[Event]:
        """Everything sent since the last call, oldest first."""
        with self._lock:
            events, self._events = self._events, []
        return events

    def record(self, event: Event) -> None:
        with self._lock:
            self._events.append(event)

    # -- what Slack sends the app, as the console's person acts -----------------------

    def slash_command(self, command: str, text: str) -> dict[str, str]:
        """The form Slack posts for a slash command typed in the console's channel."""
        return {
            "token": "console",
            "team_id": TEAM["id"],
            "team_domain": TEAM["domain"],
            "channel_id": HOME_CHANNEL,
            "channel_name": CHANNELS[HOME_CHANNEL],
            "user_id": USER["id"],
            "user_name": USER["name"],
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.new_response_url(),
            "trigger_id": self.next_id("trigger."),
        }

    def block_actions(
        self, element: dict[str, Any], block_id: str, message: dict[str, Any]
    ) -> dict[str, Any]:
        """The payload for pressing `element` on `message` (channel, ts, ephemeral, text,
        blocks), shaped as Slack's block_actions."""
        action = {
            "type": element.get("type", "button"),
            "action_id": element.get("action_id", ""),
            "block_id": block_id,
            "text": element.get("text"),
            "action_ts": self.next_ts(),
        }
        action.update({key: element[key] for key in ("value", "style", "url") if key in element})
        channel = message["channel"]
        payload: dict[str, Any] = {
            **self._common(),
            "type": "block_actions",
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": message["ephemeral"],
            },
            "trigger_id": self.next_id("trigger."),
            "channel": {"id": channel, "name": CHANNELS.get(channel, channel)},
            "state": {"values": {}},
            "response_url": self.new_response_url(),
            "actions": [action],
        }
        if not message["ephemeral"]:  # Slack leaves the message out for ephemeral ones
            payload["message"] = {
                "type": "message",
                "ts": message["ts"],
                "user": BOT["id"],
                "bot_id": BOT["bot_id"],
                "text": message.get("text", ""),
                "blocks": message.get("blocks", []),
            }
        return payload

    def view_submission(self, view: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._common(),
            "type": "view_submission",
            "trigger_id": self.next_id("trigger."),
            "view": view,
            "response_urls": [],
        }

    def view_closed(self, view: dict[str, Any]) -> dict[str, Any]:
        return {**self._common(), "type": "view_closed", "view": view, "is_cleared": False}

    @staticmethod
    def _common() -> dict[str, Any]:
        user = {"id": USER["id"], "username": USER["name"], "name": USER["name"]}
        return {
            "user": {**user, "team_id": TEAM["id"]},
            "team": dict(TEAM),
            "api_app_id": APP_ID,
            "token": "console",
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # -- the Web API -----------------------------------------------------------------

    def call(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        reply: dict[str, Any] = {"ok": True}
        if method == "chat.postMessage":
            ts = self.next_ts()
            channel = args.get("channel", "")
            message = {"type": "message", "ts": ts, "user": BOT["id"], "bot_id": BOT["bot_id"]}
            message.update({k: args[k] for k in ("text", "blocks") if k in args})
            reply.update(channel=channel, ts=ts, message=message)
        elif method == "chat.postEphemeral":
            reply["message_ts"] = self.next_ts()
        elif method in ("chat.update", "chat.delete"):
            reply.update(channel=args.get("channel"), ts=args.get("ts"))
        elif method in ("views.open", "views.push", "views.update", "views.publish"):
            view = dict(args.get("view") or {})
            view.setdefault("id", args.get("view_id") or self.next_id("V"))
            view.update(hash=self.next_id("h"), app_id=APP_ID, team_id=TEAM["id"])
            view.setdefault("private_metadata", "")
            view.setdefault("callback_id", "")
            view.setdefault("state", {"values": {}})
            reply["view"] = view
        elif method == "conversations.open":
            reply["channel"] = {"id": "D" + str(args.get("users", "")).split(",")[0]}
        elif method == "files.getUploadURLExternal":
            file_id = self.next_id("F")
            reply.update(upload_url=f"{self.base}{UPLOAD_PREFIX}{file_id}", file_id=file_id)
        elif method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            reply["files"] = [{"name": "", **file} for file in files]
        elif method == "users.info":
            reply = _person(args.get("user", ""))
        elif method == "conversations.info":
            channel = args.get("channel", "")
            reply["channel"] = {"id": channel, "name": CHANNELS.get(channel, channel.lower())}
        elif method == "auth.test":
            reply.update(
                url="http://localhost/",
                team=TEAM["domain"],
                team_id=TEAM["id"],
                user=BOT["name"],
                user_id=BOT["id"],
                bot_id=BOT["bot_id"],
            )
        self.record(Event(kind=method, args=args, reply=reply))
        return reply


def _person(user_id: str) -> dict[str, Any]:
    """users.info for someone in the console's directory; anyone else is unknown, as a
    made-up ID would be in Slack."""
    person = PEOPLE.get(user_id) or (BOT if user_id == BOT["id"] else None)
    if person is None:
        return {"ok": False, "error": "user_not_found"}
    profile = {"display_name": person["name"], "real_name": person.get("real_name", "")}
    user = {**person, "is_bot": person is BOT, "deleted": False, "tz": TIME_ZONE}
    return {"ok": True, "user": {**user, "profile": profile}}


def _decode_args(body: bytes, content_type: str, query: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query))
    if "json" in content_type:
        args.update(json.loads(body or b"{}"))
    else:
        args.update(parse_qsl(body.decode("utf-8")))
    for key in _JSON_ARGS:
        if isinstance(args.get(key), str):
            with contextlib.suppress(ValueError):  # left as sent; the app will see why
                args[key] = json.loads(args[key])
    return args


def _handler_for(slack: LocalSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            content_type = self.headers.get("Content-Type", "")
            try:
                args = (
                    {}
                    if parts.path.startswith(UPLOAD_PREFIX)
                    else _decode_args(body, content_type, parts.query)
                )
            except ValueError:
                self._send(400, {"ok": False, "error": "invalid_json"})
                return
            if parts.path.startswith(UPLOAD_PREFIX):
                self._send(200, b"OK")  # a file's bytes (files_upload_v2's middle step)
            elif parts.path.startswith(RESPOND_PREFIX):
                slack.record(Event(kind="response_url", args=args))
                self._send(200, b"ok")
            elif parts.path.startswith(API_PREFIX):
                self._send(200, slack.call(parts.path[len(API_PREFIX) :], args))
            else:
                self._send(404, {"ok": False, "error": "unknown_method"})

        def do_GET(self) -> None:  # noqa: N802 - slack_sdk sends some methods (users.info) as GETs
            parts = urlsplit(self.path)
            if parts.path.startswith(API_PREFIX):
                args = dict(parse_qsl(parts.query))
                self._send(200, slack.call(parts.path[len(API_PREFIX) :], args))
            else:
                self._send(404, {"ok": False, "error": "unknown_method"})

        def _send(self, status: int, payload: dict | bytes) -> None:
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            kind = "text/plain" if isinstance(payload, bytes) else "application/json"
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: Any) -> None:
            pass  # the console shows what matters; a line per call would bury it

    return Handler
