"""A real `deskmate serve --http` (gunicorn, two workers) for tests to talk to over loopback
with signed Slack requests, and the few requests they send it."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlmodel import select

from bot.store import db, models

SECRET = "http-mode-test-signing-secret"
BOT_TOKEN = "xoxb-http-mode-test"
START_SECONDS = 60  # the longest a slow machine may take to start; polled, not slept
WAIT_SECONDS = 10  # for a search log the server stores in the background
REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(
        self, port: int, database_url: str, log: Path, process: subprocess.Popen | None = None
    ) -> None:
        self.port, self.database_url, self.log = port, database_url, log
        self.process = process

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a machine that is lost would stop
        them: nothing gets to finish what it was doing."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the whole server
        self.process.wait(timeout=30)

    def request(
        self,
        method: str,
        path: str,
        body: str = "",
        headers: dict | None = None,
        timeout: float = 10,
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body.encode(), headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def post(
        self,
        body: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        retry: int | None = None,
        timeout: float = 10,
    ):
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        }
        if retry is not None:  # Slack's own retry of a request it thinks went unanswered
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.request("POST", "/slack/events", body, headers, timeout)

    def logged_queries(self) -> list[str]:
        engine = db.make_engine(self.database_url)
        try:
            with db.session(engine) as session:
                return list(session.exec(select(models.SearchLog.query)).all())
        finally:
            engine.dispose()

    def logged_after(self, api, text: str, marker: str | None = None) -> list[str]:
        """Send a good /answer for `text` and return the logged queries once `marker` (the
        text as stored) is among them: the workers store logs in the background."""
        marker = marker or text
        answer(self, api, text)
        deadline = time.monotonic() + WAIT_SECONDS
        while marker not in (queries := self.logged_queries()) and time.monotonic() < deadline:
            time.sleep(0.02)  # a poll of a file another process writes, bounded above
        assert marker in queries, "the good request was never logged"
        return queries


def _wait_until_healthy(process: subprocess.Popen, server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            if server.request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        try:
            process.wait(timeout=0.1)  # returns at once if the server died
        except subprocess.TimeoutExpired:
            continue
        break
    pytest.fail(f"deskmate serve --http did not start:\n{server.log.read_text()}")


@contextmanager
def running_server(
    folder: Path,
    config: str,
    api_url: str,
    database_url: str,
    *,
    environ: dict[str, str] | None = None,
) -> Iterator[Server]:
    """`deskmate serve --http` with two workers in `folder`, with `config` as its app.yaml,
    its database at `database_url`, the Web API at `api_url` and `environ` added to its
    environment; stopped on leaving."""
    (folder / "app.yaml").write_text(config)
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SLACK_") and key not in ("DATABASE_URL", "DESKMATE_CONFIG")
    }
    env.update(
        DESKMATE_CONFIG=str(folder / "app.yaml"),
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        PYTHONPATH=str(REPO),
    )
    env.update(environ or {})
    log = folder / "server.log"
    command = [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--workers", "2"],
            cwd=folder,
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,  # a process group of its own, for Server.kill
        )
    running = Server(port, database_url, log, process)
    try:
        _wait_until_healthy(process, running)
        yield running
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def answer_form(text: str, response_url: str) -> str:
    return urlencode(
        {
            "command": "/answer",
            "text": text,
            "user_id": "U0CSR0001",
            "user_name": "csr",
            "channel_id": "C0CALLS01",
            "channel_name": "calls",
            "team_id": "T0COUNCIL",
            "api_app_id": "A0DESKMATE",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


def press_form(button: dict, response_url: str) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": "U0CSR0001", "username": "csr", "team_id": "T0COUNCIL"},
        "team": {"id": "T0COUNCIL", "domain": "council"},
        "api_app_id": "A0DESKMATE",
        "container": {"type": "message", "channel_id": "C0CALLS01", "is_ephemeral": True},
        "channel": {"id": "C0CALLS01", "name": "calls"},
        "trigger_id": "4.5.6",
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "answer_buttons",
                "value": button["value"],
                "text": button["text"],
                "action_ts": "1700000000.1",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def answer(server: Server, slack_api, text: str) -> dict:
    status, body = server.post(answer_form(text, slack_api.response_url()))
    assert status == 200, body
    return json.loads(body)


def button(card: dict, label: str) -> dict:
    for block in card["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"] == label:
                return element
    raise AssertionError(f"no {label!r} button in {card}")
