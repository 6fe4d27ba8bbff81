"""HTTP mode: `deskmate serve --http` started for real (gunicorn, two workers) and spoken to
over loopback with signed Slack requests; the Web API it calls is the recording fake."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.parser import text_string_to_metric_families
from slack_bolt import App
from slack_sdk.signature import SignatureVerifier
from sqlmodel import select

from bot import db, models
from bot.app import create_app, deskmate_of
from bot.server import GunicornServer, ServerOptions, wsgi_app
from bot.settings import Settings

from ..databases import migrated_engine, new_database
from ..db_faults import Breakable, breakable_for

SECRET = "http-mode-test-signing-secret"
BOT_TOKEN = "xoxb-http-mode-test"
START_SECONDS = 60  # the longest a slow machine may take to start; polled, not slept
WAIT_SECONDS = 10  # for a search log the server stores in the background
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, port: int, database_url: str, log: Path) -> None:
        self.port, self.database_url, self.log = port, database_url, log

    def request(
        self, method: str, path: str, body: str = "", headers: dict | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
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
        return self.request("POST", "/slack/events", body, headers)

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
        _answer(self, api, text)
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
            [*command, "--workers", "2"], cwd=folder, env=env, stdout=output, stderr=output
        )
    running = Server(port, database_url, log)
    try:
        _wait_until_healthy(process, running)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory, slack_server) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("http-mode")
    with (
        new_database(folder) as url,
        running_server(folder, "search:\n  limit: 5\n", slack_server.api_url, url) as running,
    ):
        yield running


def _command(text: str, response_url: str) -> str:
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


def _press(button: dict, response_url: str) -> str:
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


def _answer(server: Server, slack_api, text: str) -> dict:
    status, body = server.post(_command(text, slack_api.response_url()))
    assert status == 200, body
    return json.loads(body)


def _button(card: dict, label: str) -> dict:
    for block in card["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"] == label:
                return element
    raise AssertionError(f"no {label!r} button in {card}")


# -- over loopback ----------------------------------------------------------------------------


def test_health_check_answers_ok(server):
    assert server.request("GET", "/healthz") == (200, '{"status": "ok"}')


def test_a_signed_answer_command_gets_the_answer_card(server, slack_api):
    card = _answer(server, slack_api, "council tax discount living alone")

    assert card["response_type"] == "ephemeral"
    assert card["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Council Tax single person discount"},
    }
    assert _button(card, "Share in channel")


def test_share_in_channel_posts_the_card_publicly_through_the_response_url(server, slack_api):
    card = _answer(server, slack_api, "hmo licence how long")
    share = _button(card, "Share in channel")

    status, _ = server.post(_press(share, slack_api.response_url("share")))

    assert status == 200
    (post,) = slack_api.wait_for("response_url")
    assert post.path == "/response/share"
    assert post.body["response_type"] == "in_channel"
    assert "<@U0CSR0001>" in json.dumps(post.body["blocks"])


def test_not_helpful_opens_a_form_through_the_web_api_with_the_bot_token(server, slack_api):
    card = _answer(server, slack_api, "council tax discount living alone")

    status, _ = server.post(_press(_button(card, "Not helpful"), slack_api.response_url()))

    assert status == 200
    (call,) = slack_api.wait_for("views.open")
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert call.body["trigger_id"] == "4.5.6"


def test_a_forged_signature_is_rejected_with_401_and_nothing_is_logged(server, slack_api):
    status, _ = server.post(_command("forged ctr apply", slack_api.response_url()), secret="guess")

    assert status == 401
    assert "forged ctr apply" not in server.logged_after(slack_api, "ctr apply after forged")


def test_a_stale_timestamp_is_rejected_with_401_even_when_signed(server, slack_api):
    six_minutes_ago = int(time.time()) - 6 * 60

    status, _ = server.post(
        _command("stale ctr apply", slack_api.response_url()), timestamp=six_minutes_ago
    )

    assert status == 401
    assert "stale ctr apply" not in server.logged_after(slack_api, "ctr apply after stale")


def test_a_missing_signature_is_rejected_with_401(server, slack_api):
    body = _command("ctr apply", slack_api.response_url())
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    assert server.request("POST", "/slack/events", body, headers)[0] == 401


def test_each_answer_is_logged_without_caller_details(server, slack_api):
    queries = server.logged_after(
        slack_api, "skip permit for jo@example.com", marker="skip permit for [email]"
    )

    assert not any("jo@example.com" in query for query in queries)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/", 404), ("POST", "/slack/other", 404), ("GET", "/slack/events", 405)],
)
def test_other_paths_and_methods_are_refused(server, method, path, status):
    assert server.request(method, path)[0] == status


# -- readiness and metrics --------------------------------------------------------------------


@pytest.fixture(scope="module")
def observed(tmp_path_factory, slack_server) -> Iterator[tuple[Server, Breakable, Path]]:
    """A server of its own over a database that can be taken away (tests/db_faults.py),
    with its temporary files, the workers' shared metrics among them, in `scratch`."""
    folder = tmp_path_factory.mktemp("http-observed")
    scratch = folder / "tmp"
    scratch.mkdir()
    with migrated_engine(folder) as engine:
        database = breakable_for(engine)
        url = database.url.render_as_string(hide_password=False)
        try:
            with running_server(
                folder, "search:\n  limit: 5\n", slack_server.api_url, url,
                environ={"TMPDIR": str(scratch)},
            ) as running:  # fmt: skip
                yield running, database, scratch
        finally:
            database.close()


def _get(server: Server, path: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def _sample(families, name: str, **labels: str) -> float:
    for family in families:
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def _answers_by_process(scratch: Path) -> dict[str, float]:
    """Each process's count of answered /answer, read from the shared metrics folder the
    server made under `scratch`: its files for one process at a time, through
    prometheus_client's own multiprocess reader."""
    [shared] = scratch.glob("deskmate-metrics-*")
    counts = {}
    for counter in shared.glob("counter_*.db"):
        pid = counter.stem.removeprefix("counter_")
        alone = scratch / f"process-{pid}"
        shutil.rmtree(alone, ignore_errors=True)
        alone.mkdir()
        shutil.copy(counter, alone)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(alone))
        counts[pid] = (
            registry.get_sample_value("deskmate_answers_total", {"outcome": "answered"}) or 0.0
        )
    return counts


def test_readyz_is_ready_when_the_database_answers_and_the_index_is_loaded(server):
    status, content_type, body = _get(server, "/readyz")

    assert (status, content_type) == (200, "application/json")
    assert json.loads(body) == {"status": "ready"}


def test_readyz_names_the_database_while_it_is_away_and_is_ready_again_after(observed):
    server, database, _ = observed
    assert _get(server, "/readyz")[0] == 200

    with database.unavailable():
        replies = [_get(server, "/readyz") for _ in range(4)]  # whichever worker answers
        health = server.request("GET", "/healthz")

    for status, content_type, body in replies:
        assert (status, content_type) == (503, "application/json")
        payload = json.loads(body)
        assert payload["status"] == "not ready"
        assert list(payload["failed"]) == ["database"]  # the index is still there
        assert payload["failed"]["database"] in (
            "the database did not answer",  # PostgreSQL: the connection is refused
            "the database file is missing",  # SQLite: the file has gone
        )
        assert "Traceback" not in body
    assert health[0] == 200  # alive all the while: only out of rotation
    assert _get(server, "/readyz")[0] == 200


def test_metrics_add_up_the_answers_of_both_workers(observed, slack_api):
    server, _, scratch = observed
    status, content_type, before = _get(server, "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain; version=0.0.4")
    before = list(text_string_to_metric_families(before))

    sent = 0
    deadline = time.monotonic() + 60  # a hang, not a timing: each answer takes milliseconds
    while time.monotonic() < deadline:
        _answer(server, slack_api, "council tax discount living alone")
        sent += 1
        workers = [pid for pid, n in _answers_by_process(scratch).items() if n]
        if len(workers) >= 2 and sent >= 10:
            break
    assert len(workers) == 2, "every answer went to one worker"

    for _ in range(4):  # whichever worker serves /metrics has the instance's figures
        after = list(text_string_to_metric_families(_get(server, "/metrics")[2]))
        for name, labels in [
            ("deskmate_answers_total", {"outcome": "answered"}),
            ("deskmate_answer_seconds_count", {}),
            ("deskmate_answer_seconds_bucket", {"le": "+Inf"}),
        ]:
            assert _sample(after, name, **labels) - _sample(before, name, **labels) == sent
    assert sum(_answers_by_process(scratch).values()) >= sent


# -- refusing to start ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": SECRET}, "SLACK_BOT_TOKEN"),
    ],
)
def test_http_mode_without_its_secrets_refuses_to_start(cli, monkeypatch, present, missing):
    for name, value in present.items():
        monkeypatch.setenv(name, value)

    code, out, err = cli("serve", "--http", "--port", "0")

    assert code == 2
    assert out == ""
    assert f"HTTP mode needs {missing}" in err


@pytest.mark.parametrize("port", ["65536", "http", "-1"])
def test_a_bad_port_is_a_usage_error(cli, port):
    code, _, err = cli("serve", "--http", "--port", port)

    assert code == 2
    assert "port" in err


# -- the pieces, in-process -------------------------------------------------------------------


def _call(application, method: str, path: str) -> tuple[str, dict, bytes]:
    captured: dict = {}

    def start_response(status, headers):
        captured["status"], captured["headers"] = status, dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "SERVER_PROTOCOL": "HTTP/1.1"}
    body = b"".join(application(environ, start_response))
    return captured["status"], captured["headers"], body


def test_healthz_is_json_and_needs_no_signature():
    status, headers, body = _call(
        wsgi_app(App(signing_secret="x", token="xoxb-x", token_verification_enabled=False)),
        "GET",
        "/healthz",
    )

    assert status == "200 OK"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "ok"}


def test_gunicorn_runs_several_threaded_workers_each_building_its_own_app():
    built = []
    server = GunicornServer(
        lambda: (
            built.append(1)
            or App(signing_secret="x", token="xoxb-x", token_verification_enabled=False)
        ),
        ServerOptions(host="127.0.0.1", port=4321, workers=3, threads=2),
    )

    assert server.cfg.workers == 3
    assert server.cfg.threads == 2
    assert server.cfg.worker_class_str == "gthread"
    assert server.cfg.preload_app is False
    assert server.cfg.bind == ["127.0.0.1:4321"]
    assert built == []  # not in the master: each worker calls load() after the fork
    assert _call(server.load(), "GET", "/healthz")[0] == "200 OK"
    assert built == [1]


def test_readyz_names_a_search_index_that_is_not_loaded(engine):
    app = create_app(Settings(), engine=engine, signing_secret=SECRET)
    application = wsgi_app(app)
    assert _call(application, "GET", "/readyz")[0] == "200 OK"

    deskmate_of(app).index = None  # as a worker is before its index is built

    status, headers, body = _call(application, "GET", "/readyz")
    assert (status, headers["Content-Type"]) == ("503 Service Unavailable", "application/json")
    assert json.loads(body) == {
        "status": "not ready",
        "failed": {"index": "the search index is not loaded"},
    }


def test_readyz_of_an_app_deskmate_did_not_build_is_never_ready():
    bare = wsgi_app(App(signing_secret="x", token="xoxb-x", token_verification_enabled=False))

    status, _, body = _call(bare, "GET", "/readyz")

    assert status == "503 Service Unavailable"
    assert json.loads(body)["failed"] == {"app": "not a Deskmate app"}


@pytest.mark.parametrize("path", ["/readyz", "/metrics"])
def test_readyz_and_metrics_take_only_get(path):
    application = wsgi_app(
        App(signing_secret="x", token="xoxb-x", token_verification_enabled=False)
    )

    status, headers, _ = _call(application, "POST", path)

    assert (status, headers["Allow"]) == ("405 Method Not Allowed", "GET")
