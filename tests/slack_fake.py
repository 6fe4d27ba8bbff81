"""A recording stand-in for Slack: the Web API (`/api/<method>`), response URLs
(`/response/<name>`) and the upload URLs files.getUploadURLExternal hands out
(`/upload/<file id>`, the middle step of `files_upload_v2`), served by http.server on a
free loopback port, as bolt-python's own tests do. Only Slack is faked; the app under test
talks to it over real HTTP.

Faults: `.fault(method, kind, ...)` makes the next calls to a method (or to any method)
meet what a real Slack or network sometimes does: a rate limit (429 with Retry-After), a
server error page, a reply that never comes (the server holds the call until the client
gives up, then drops it) and a connection reset. Each call records whether it *took effect*
(Slack acted on it: for a post, whether a person in the channel would see it), which may
be so even when the client never heard back. `.visible(channel)` is what a person there
sees; `.called(method)` is every attempt."""

from __future__ import annotations

import json
import select
import socket
import struct
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from bot.slack.manifest import manifest

from .slack_faults import (  # noqa: F401 - the fault kinds, for tests to name
    _KINDS,
    ANY,
    ERROR_PAGE,
    RATE_LIMITED,
    RESET,
    SERVER_ERROR,
    TIMEOUT,
    _acted,
    _Answer,
    _Fault,
    _faulted,
)

RESPONSE_URL = "response_url"  # the `method` recorded for a post to a response URL
UPLOAD = "file_upload"  # the `method` recorded for a file's bytes (body {"data": bytes})
FILE_ID = "F0FAKEFILE1"
TIME_ZONE = "Europe/London"  # users.info's `tz` for a person not set up otherwise
WAIT_SECONDS = 10  # how long to wait for a call that should come (a hang, not a timing)
POST_TS = "1700000000.000100"  # the `ts` of every message chat.postMessage posts
# What auth.test says of the token: the app's bot user in a test workspace.
BOT_USER = {"user": "deskmate", "user_id": "U0DESKMATE", "team": "Test Council", "bot_id": "B0DM"}


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", "views.open", ... or RESPONSE_URL
    path: str
    headers: dict[str, str]
    body: dict
    fault: str | None = None  # the fault kind it met, if any
    # Slack acted on it (for a post: it is in the channel), whether or not the client
    # heard back: answered ok, or a fault set up with `effect=True`.
    took_effect: bool = True


class FakeSlack:
    """Start with `FakeSlack()`, stop with `.close()`. Calls are recorded in order in
    `.calls`; `.reply(method, ...)` changes what a method answers until `.reset()`, and
    `.person(user_id, ...)` what users.info says about one person; `.fault(...)` makes the
    next calls fail the way a network or an overloaded Slack does."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._replies: dict[str, tuple[int, str, bool]] = {}
        self._people: dict[str, dict | str | None] = {}
        self._strangers_known = True
        self._channels: dict[str, dict | None] = {}
        self._scopes = _MANIFEST_SCOPES
        self._faults: dict[str, deque[_Fault]] = {}
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                self._answer(fake._record(self.path, dict(self.headers), raw))

            def do_GET(self) -> None:  # noqa: N802 - slack_sdk sends users.info as a GET
                parts = urlsplit(self.path)
                self._answer(fake._record(parts.path, dict(self.headers), parts.query.encode()))

            def _answer(self, answer: _Answer) -> None:
                if answer.fault == TIMEOUT:
                    self._hold()
                    return
                if answer.fault == RESET:
                    self._reset()
                    return
                data = answer.text.encode("utf-8")
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _hold(self) -> None:
                # Answer nothing until the client gives up and closes its end (its timeout),
                # then drop the connection: a reply that never came.
                select.select([self.connection], [], [], WAIT_SECONDS)
                self.close_connection = True

            def _reset(self) -> None:
                # SO_LINGER with a zero timeout makes close() send a TCP reset.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """For `WebClient(base_url=...)` or `SLACK_API_URL`."""
        return self.url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    def reply(
        self,
        method: str,
        *,
        status: int = 200,
        body: dict | str | None = None,
        once: bool = False,
    ) -> None:
        """Make `method` (or RESPONSE_URL) answer with this status and body from now on,
        or only the next time if `once`."""
        text = body if isinstance(body, str) else json.dumps(body or {"ok": status == 200})
        with self._changed:
            self._replies[method] = (status, text, once)

    def person(self, user_id: str, **fields) -> None:
        """What users.info says about `user_id` from now on: a person in `TIME_ZONE`
        with `fields` changed (is_bot, deleted, tz ...); `person(id, missing=True)` makes
        Slack not know them (user_not_found), `person(id, error="user_not_visible")`
        refuse with that error."""
        with self._changed:
            if fields.pop("missing", False):
                self._people[user_id] = None
            elif "error" in fields:
                self._people[user_id] = fields["error"]
            else:
                self._people[user_id] = fields

    def only_people_set_up(self) -> None:
        """From now on (until `.reset()`) users.info knows only the people `.person(...)`
        set up: any other ID is user_not_found, as in a real workspace. Most tests let any
        ID be a person, so a test need not set up everyone a kudos names; a check of IDs
        someone typed (`deskmate doctor`) must not pass a made-up one."""
        with self._changed:
            self._strangers_known = False

    def channel(self, channel_id: str, **fields) -> None:
        """What conversations.info says about `channel_id` from now on: a public channel
        Deskmate is in, with `fields` changed (is_member, is_archived, name ...);
        `channel(id, missing=True)` makes Slack not know it (channel_not_found)."""
        with self._changed:
            self._channels[channel_id] = None if fields.pop("missing", False) else fields

    def grant(self, *scopes: str) -> None:
        """The bot scopes the token has (auth.test's x-oauth-scopes header) from now on;
        by default every scope the manifest asks for, as after installing from it."""
        with self._changed:
            self._scopes = ",".join(scopes)

    def fail(self, method: str, error: str = "channel_not_found") -> None:
        """Make `method` answer as Slack does when it refuses: HTTP 200, ok false."""
        self.reply(method, body={"ok": False, "error": error})

    def fault(
        self,
        method: str,
        kind: str,
        *,
        times: int = 1,
        effect: bool = False,
        status: int = 500,
        body: str | None = None,
        retry_after: int = 1,
    ) -> None:
        """Make the next `times` calls to `method` (ANY: to whichever method comes) meet a
        fault, after any faults already waiting for it, before `.reply`'s answer:

        - RATE_LIMITED: HTTP 429 with `Retry-After: retry_after` (seconds); never acted on.
        - SERVER_ERROR: HTTP `status` (500, 502, 503 ...) with an HTML error page, or `body`
          ("" for none).
        - TIMEOUT: no answer; the server holds the call until the client's own timeout
          makes it close the connection, then drops it.
        - RESET: the connection is reset once the request has been read.

        `effect` says whether Slack acted on the call all the same (a SERVER_ERROR, TIMEOUT
        or RESET after a post went in: the nasty case, where the client never hears that
        it worked)."""
        if kind not in _KINDS:
            raise ValueError(f"unknown fault {kind!r}; use one of {_KINDS}")
        if kind == RATE_LIMITED and effect:
            raise ValueError("Slack does nothing with a call it rate-limits")
        page = ERROR_PAGE.format(status=status) if body is None else body
        fault = _Fault(kind, status, page, retry_after, effect)
        with self._changed:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self._replies.clear()
            self._people.clear()
            self._strangers_known = True
            self._channels.clear()
            self._scopes = _MANIFEST_SCOPES
            self._faults.clear()

    def called(self, method: str) -> list[Call]:
        """Every call to `method`, answered or not: the attempts."""
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def visible(self, channel: str) -> list[Call]:
        """The chat.postMessage calls that took effect in `channel` (a user ID or their DM
        channel for direct messages): what a person there would see, once each."""
        where = conversation(channel)
        with self._changed:
            return [
                call
                for call in self.calls
                if call.method == "chat.postMessage"
                and call.took_effect
                and conversation(call.body.get("channel", "")) == where
            ]

    def wait_for(self, method: str, count: int = 1) -> list[Call]:
        """The calls to `method` once there are at least `count` (listeners that run after
        the acknowledgement finish on Bolt's worker threads)."""
        with self._changed:
            arrived = self._changed.wait_for(
                lambda: len([c for c in self.calls if c.method == method]) >= count,
                timeout=WAIT_SECONDS,
            )
            calls = [call for call in self.calls if call.method == method]
        assert arrived, f"expected {count} call(s) to {method}, got {len(calls)}: {self.calls}"
        return calls

    def wait_until(self, done) -> list[Call]:
        """Every call so far, once `done(calls)` is true of them (a hang otherwise)."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: done(self.calls), timeout=WAIT_SECONDS)
            calls = list(self.calls)
        assert arrived, f"never came: {calls}"
        return calls

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    # -- serving ------------------------------------------------------------------------

    def _record(self, path: str, headers: dict[str, str], raw: bytes) -> _Answer:
        parts = urlsplit(path)
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        if parts.path.startswith("/upload/"):
            method, body = UPLOAD, {"data": raw, "file_id": parts.path.removeprefix("/upload/")}
        else:
            api = parts.path.startswith("/api/")
            method = parts.path.removeprefix("/api/") if api else RESPONSE_URL
            text = raw.decode("utf-8")
            body = json.loads(text or "{}") if "json" in content_type else dict(parse_qsl(text))
            body = {**dict(parse_qsl(parts.query)), **body}
        with self._changed:
            fault = self._next_fault(method)
            reply = self._replies.get(method)
            if fault is None and reply is not None and reply[2]:
                del self._replies[method]
        if fault is not None:
            answer, effect = _faulted(fault), fault.effect
        elif reply is not None:
            answer = _Answer(status=reply[0], text=reply[1])
            effect = _acted(reply[0], reply[1])
        else:
            answer, effect = _Answer(text=json.dumps(self._default(method, body))), True
            if method == "auth.test":
                answer = _Answer(text=answer.text, headers=(("x-oauth-scopes", self._scopes),))
        call = Call(method, path, headers, body, fault and fault.kind, effect)
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return answer

    def _next_fault(self, method: str) -> _Fault | None:
        for key in (method, ANY):
            waiting = self._faults.get(key)
            if waiting:
                return waiting.popleft()
        return None

    def _default(self, method: str, body: dict) -> dict:
        if method == "users.info":
            user_id = body.get("user", "")
            with self._changed:
                fields = self._people.get(user_id, {} if self._strangers_known else None)
            if fields is None:
                return {"ok": False, "error": "user_not_found"}
            if isinstance(fields, str):
                return {"ok": False, "error": fields}
            user = {"id": user_id, "name": user_id.lower(), "is_bot": False, "deleted": False}
            return {"ok": True, "user": {**user, "tz": TIME_ZONE, **fields}}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V0FAKE0001", **(_view(body) or {})}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.url}/upload/{FILE_ID}", "file_id": FILE_ID}
        if method == "files.completeUploadExternal":
            files = json.loads(body.get("files") or "[]")
            return {"ok": True, "files": [{"name": "", **file} for file in files]}
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": POST_TS}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": conversation(body.get("users", ""))}}
        if method == "conversations.history":
            return self._history(body)
        if method == "auth.test":
            return {"ok": True, "url": "https://test-council.slack.com/", **BOT_USER}
        if method == "conversations.info":
            return self._conversation(body.get("channel", ""))
        return {"ok": True}

    def _conversation(self, channel_id: str) -> dict:
        with self._changed:
            fields = self._channels.get(channel_id, {})
        if fields is None:
            return {"ok": False, "error": "channel_not_found"}
        channel = {"id": channel_id, "name": channel_id.lower(), "is_private": False}
        return {
            "ok": True,
            "channel": {**channel, "is_archived": False, "is_member": True, **fields},
        }

    def _history(self, body: dict) -> dict:
        """The channel's visible posts, newest first, with their metadata when asked for
        (`include_all_metadata`), as Slack gives them. `oldest` is recorded, not applied:
        every post here has the same `ts`."""
        with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
        messages = []
        for call in reversed(self.visible(body.get("channel", ""))):
            message = {"type": "message", "ts": POST_TS, "text": call.body.get("text", "")}
            if with_metadata and call.body.get("metadata"):
                message["metadata"] = _json(call.body["metadata"])
            messages.append(message)
        return {"ok": True, "messages": messages, "has_more": False}


_MANIFEST_SCOPES = ",".join(manifest()["oauth_config"]["scopes"]["bot"])


def conversation(channel: str) -> str:
    """Where a post to `channel` lands: a post to a person (U.../W...) goes to their DM
    with the app, which conversations.open names D...; anything else is itself."""
    if channel[:1] in ("U", "W"):
        return "D" + channel[1:]
    return channel


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _view(body: dict) -> dict | None:
    view = body.get("view")
    return json.loads(view) if isinstance(view, str) else view
