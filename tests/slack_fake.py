"""A recording stand-in for Slack: the Web API (`/api/<method>`), response URLs
(`/response/<name>`) and the upload URLs files.getUploadURLExternal hands out
(`/upload/<file id>`, the middle step of `files_upload_v2`), served by http.server on a
free loopback port, as bolt-python's own tests do. Only Slack is faked; the app under test
talks to it over real HTTP."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

RESPONSE_URL = "response_url"  # the `method` recorded for a post to a response URL
UPLOAD = "file_upload"  # the `method` recorded for a file's bytes (body {"data": bytes})
FILE_ID = "F0FAKEFILE1"
TIME_ZONE = "Europe/London"  # users.info's `tz` for a person not set up otherwise
WAIT_SECONDS = 10  # how long to wait for a call that should come (a hang, not a timing)


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", "views.open", ... or RESPONSE_URL
    path: str
    headers: dict[str, str]
    body: dict


class FakeSlack:
    """Start with `FakeSlack()`, stop with `.close()`. Calls are recorded in order in
    `.calls`; `.reply(method, ...)` changes what a method answers until `.reset()`, and
    `.person(user_id, ...)` what users.info says about one person."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._replies: dict[str, tuple[int, str, bool]] = {}
        self._people: dict[str, dict | None] = {}
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, text = fake._record(self.path, dict(self.headers), raw)
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - slack_sdk sends users.info as a GET
                parts = urlsplit(self.path)
                status, text = fake._record(parts.path, dict(self.headers), parts.query.encode())
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

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
        Slack not know them (user_not_found)."""
        with self._changed:
            if fields.pop("missing", False):
                self._people[user_id] = None
            else:
                self._people[user_id] = fields

    def fail(self, method: str, error: str = "channel_not_found") -> None:
        """Make `method` answer as Slack does when it refuses: HTTP 200, ok false."""
        self.reply(method, body={"ok": False, "error": error})

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self._replies.clear()
            self._people.clear()

    def called(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

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

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    # -- serving ------------------------------------------------------------------------

    def _record(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, str]:
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
            self.calls.append(Call(method=method, path=path, headers=headers, body=body))
            self._changed.notify_all()
            reply = self._replies.get(method)
            if reply is not None and reply[2]:
                del self._replies[method]
        if reply is not None:
            return reply[0], reply[1]
        return 200, json.dumps(self._default(method, body))

    def _default(self, method: str, body: dict) -> dict:
        if method == "users.info":
            user_id = body.get("user", "")
            with self._changed:
                fields = self._people.get(user_id, {})
            if fields is None:
                return {"ok": False, "error": "user_not_found"}
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
            return {"ok": True, "channel": body.get("channel"), "ts": "1700000000.000100"}
        return {"ok": True}


def _view(body: dict) -> dict | None:
    view = body.get("view")
    return json.loads(view) if isinstance(view, str) else view
