"""HTTP mode: `deskmate serve --http` started for real (gunicorn, two workers) and spoken to
over loopback with signed Slack requests; the Web API it calls is the recording fake."""

from __future__ import annotations

import datetime as dt
import gc
import json
import time
from collections.abc import Iterator

import pytest
from slack_bolt import App

from bot.config.settings import Settings
from bot.entry.app import create_app, deskmate_of
from bot.entry.server import GunicornServer, ServerOptions, wsgi_app
from bot.kudos import create_kudos, stop
from bot.kudos_text import Draft

from ...databases import new_database
from .http_server import (
    BOT_TOKEN,
    SECRET,
    Server,
    answer,
    answer_form,
    button,
    press_form,
    running_server,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory, slack_server) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("http-mode")
    with (
        new_database(folder) as url,
        running_server(folder, "search:\n  limit: 5\n", slack_server.api_url, url) as running,
    ):
        yield running


# -- over loopback ----------------------------------------------------------------------------


def test_health_check_answers_ok(server):
    assert server.request("GET", "/healthz") == (200, '{"status": "ok"}')


def test_a_signed_answer_command_gets_the_answer_card(server, slack_api):
    card = answer(server, slack_api, "council tax discount living alone")

    assert card["response_type"] == "ephemeral"
    assert card["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Council Tax single person discount"},
    }
    assert button(card, "Share in channel")


def test_share_in_channel_posts_the_card_publicly_through_the_response_url(server, slack_api):
    card = answer(server, slack_api, "hmo licence how long")
    share = button(card, "Share in channel")

    status, _ = server.post(press_form(share, slack_api.response_url("share")))

    assert status == 200
    (post,) = slack_api.wait_for("response_url")
    assert post.path == "/response/share"
    assert post.body["response_type"] == "in_channel"
    assert "<@U0CSR0001>" in json.dumps(post.body["blocks"])


def test_not_helpful_opens_a_form_through_the_web_api_with_the_bot_token(server, slack_api):
    card = answer(server, slack_api, "council tax discount living alone")

    status, _ = server.post(press_form(button(card, "Not helpful"), slack_api.response_url()))

    assert status == 200
    (call,) = slack_api.wait_for("views.open")
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert call.body["trigger_id"] == "4.5.6"


def test_a_forged_signature_is_rejected_with_401_and_nothing_is_logged(server, slack_api):
    status, _ = server.post(
        answer_form("forged ctr apply", slack_api.response_url()), secret="guess"
    )

    assert status == 401
    assert "forged ctr apply" not in server.logged_after(slack_api, "ctr apply after forged")


def test_a_stale_timestamp_is_rejected_with_401_even_when_signed(server, slack_api):
    six_minutes_ago = int(time.time()) - 6 * 60

    status, _ = server.post(
        answer_form("stale ctr apply", slack_api.response_url()), timestamp=six_minutes_ago
    )

    assert status == 401
    assert "stale ctr apply" not in server.logged_after(slack_api, "ctr apply after stale")


def test_a_missing_signature_is_rejected_with_401(server, slack_api):
    body = answer_form("ctr apply", slack_api.response_url())
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


@pytest.fixture
def thawed() -> Iterator[None]:
    """A worker's load() freezes what it built (bot.entry.app.settle); the test process
    is not a worker, so that is undone after the test."""
    yield
    gc.unfreeze()


def test_gunicorn_runs_several_event_loop_workers_each_building_its_own_app(thawed):
    built = []
    server = GunicornServer(
        lambda: (
            built.append(1)
            or App(signing_secret="x", token="xoxb-x", token_verification_enabled=False)
        ),
        ServerOptions(host="127.0.0.1", port=4321, workers=3, threads=2),
    )

    assert server.cfg.workers == 3
    assert server.cfg.worker_class_str == "bot.entry.front.DeskmateWorker"
    assert server.cfg.preload_app is False
    assert server.cfg.bind == ["127.0.0.1:4321"]
    assert built == []  # not in the master: each worker calls load() after the fork
    front = server.load()
    assert front.threads == 2  # the threads each worker hands whole requests to
    assert _call(front.app, "GET", "/healthz")[0] == "200 OK"
    assert built == [1]


def test_a_worker_leaves_what_it_built_to_reference_counting_alone(thawed, engine):
    # Every full collection of the cycle collector walked the whole index and app, and
    # paused every request for it; once built, they are left out of its walks.
    gc.unfreeze()
    built = []
    server = GunicornServer(
        lambda: (
            built.append(create_app(Settings(), engine=engine, signing_secret=SECRET)) or built[0]
        ),
        ServerOptions(host="127.0.0.1", port=4322, workers=1, threads=2),
    )
    front = server.load()
    later = [front]  # made after the app was built: walked as ever

    walked = {id(o) for o in gc.get_objects()}
    index = deskmate_of(built[0]).index.current
    assert gc.get_freeze_count() > 0
    assert not walked & {id(built[0]), id(index), id(front)}
    assert id(later) in walked
    assert _call(front.app, "GET", "/healthz")[0] == "200 OK"


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


def test_readyz_tells_the_admin_how_to_fix_kudos_slack_refused_for_good(engine):
    application = wsgi_app(create_app(Settings(), engine=engine, signing_secret=SECRET))
    for number, channel in enumerate(["C0KUDOS001", "C0KUDOS001", "C0GONE0001"]):
        given, _ = create_kudos(
            engine,
            Draft(("U0ALEX0001",), "for a really calm call"),
            giver_id="U0GIVER001",
            request_key=f"stopped-{number}",
            channel=channel,
            giver_tz=dt.UTC,
            allowance=5,
        )
        code = "channel_not_found" if channel == "C0GONE0001" else "not_in_channel"
        stop(engine, given.id, code, f"HTTP 200, {code}")

    status, _, body = _call(application, "GET", "/readyz")

    assert status == "200 OK"  # answers still work: no reason to take it out of rotation
    assert json.loads(body) == {
        "status": "ready",
        "attention": {
            "kudos": [
                "2 kudos not posted in C0KUDOS001 (Slack said not_in_channel): invite "
                "Deskmate to C0KUDOS001 (type /invite @Deskmate there); then run `deskmate "
                "kudos retry` to post the kudos that are waiting",
                "1 kudos not posted in C0GONE0001 (Slack said channel_not_found): Slack cannot "
                "find C0GONE0001: set channels.kudos in app.yaml to the ID of a channel that "
                "exists (such as C0123ABCD), and invite Deskmate if it is private; then run "
                "`deskmate kudos retry` to post the kudos that are waiting",
            ]
        },
    }
