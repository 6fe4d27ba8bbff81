"""The counters and the latency histogram, in one process (Socket Mode, the console): signed
requests through the real Bolt app's `dispatch`, its Web API client aimed at the recording
fake Slack, and the figures read back from bot.metrics' registry. The counters belong to
the process, so each test compares before and after. HTTP mode's several workers are in
tests/bot/test_server.py."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

import pytest

from bot import metrics
from bot.config.settings import Settings
from bot.slack.blocks import answer as blocks
from scheduler.runs import Outcome, run_once

from ..apps import SECRET, signed_app
from ..databases import migrated_engine
from ..handlers.payloads import action_body, command_body, command_request, payload_request

KUDOS_CHANNEL = "C0KUDOSMET1"
SPD = "benefits-single-person-discount"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with migrated_engine(tmp_path_factory.mktemp("metrics")) as engine:
        yield engine


@pytest.fixture(scope="module")
def app(slack_server, engine):
    """The production client aimed at the fake; each request finishes before `dispatch`
    returns (process_before_response), so its counts are in when the test looks."""
    return signed_app(
        Settings(channels={"kudos": KUDOS_CHANNEL}),
        slack_server,
        engine=engine,
        process_before_response=True,
    )


@pytest.fixture
def user() -> str:
    return "U" + uuid.uuid4().hex[:10].upper()


def value(name: str, **labels: str) -> float:
    return metrics.registry().get_sample_value(name, labels) or 0.0


def figures(*samples: tuple[str, dict]) -> list[float]:
    return [value(name, **labels) for name, labels in samples]


def slash(app, fake, text: str, user: str, command: str = "/answer", **changes):
    body = command_body(text, user_id=user, response_url=fake.response_url("command"))
    # A trigger of its own: the same one again would be Slack retrying the request.
    body.update(command=command, trigger_id=uuid.uuid4().hex, **changes)
    for key in [key for key, v in body.items() if v is None]:
        del body[key]
    return app.dispatch(command_request(SECRET, body))


ANSWERED = ("deskmate_answers_total", {"outcome": "answered"})
NO_MATCH = ("deskmate_answers_total", {"outcome": "no_match"})
EMPTY = ("deskmate_answers_total", {"outcome": "empty"})
ERROR = ("deskmate_answers_total", {"outcome": "error"})
TIMED = ("deskmate_answer_seconds_count", {})
FAST = ("deskmate_answer_seconds_bucket", {"le": "+Inf"})


def test_each_answer_is_counted_by_outcome_and_timed(app, slack_api, user):
    before = figures(ANSWERED, NO_MATCH, EMPTY, ERROR, TIMED, FAST)

    for text in ("singel persn discount", "bin collection missed", "   "):
        assert slash(app, slack_api, text, user).status == 200

    after = figures(ANSWERED, NO_MATCH, EMPTY, ERROR, TIMED, FAST)
    # One of each; the empty one had nothing to search, so it is not timed.
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 1, 0, 2, 2]


def test_a_search_that_fails_is_counted_as_an_error(app, slack_api, user):
    before = figures(ERROR, TIMED, ("deskmate_errors_total", {"kind": "answer"}))

    # A request without the person's id cannot be searched for (or logged).
    response = slash(app, slack_api, "ctr apply", user, user_id=None)

    assert response.status == 200
    assert "couldn't search" in json.loads(response.body)["text"]
    after = figures(ERROR, TIMED, ("deskmate_errors_total", {"kind": "answer"}))
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 1]


def test_web_api_calls_from_listeners_are_counted_by_method_and_outcome(app, slack_api, user):
    ok = ("deskmate_slack_api_calls_total", {"method": "views.open", "outcome": "ok"})
    refused = ("deskmate_slack_api_calls_total", {"method": "views.open", "outcome": "error"})
    before = figures(ok, refused)

    def press_not_helpful() -> None:
        body = action_body(
            blocks.NOT_HELPFUL, blocks.button_value(SPD, "spd"), user_id=user,
            response_url=slack_api.response_url("card"),
        )  # fmt: skip
        assert app.dispatch(payload_request(SECRET, body)).status == 200

    press_not_helpful()
    slack_api.fail("views.open", "expired_trigger_id")
    press_not_helpful()

    assert len(slack_api.called("views.open")) == 2
    after = figures(ok, refused)
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1]


def test_a_kudos_is_counted_when_it_is_posted_and_not_when_slack_refuses(app, slack_api, user):
    posted = ("deskmate_kudos_posted_total", {})
    refused = ("deskmate_slack_api_calls_total", {"method": "chat.postMessage", "outcome": "error"})
    before = figures(posted, refused)

    kudos = slash(app, slack_api, "<@U0ALEX0001> for a calm call #empathy", user, "/kudos")
    assert kudos.status == 200
    assert figures(posted, refused)[0] - before[0] == 1

    slack_api.fail("chat.postMessage", "channel_not_found")
    kudos = slash(app, slack_api, "<@U0SAM00001> for a patient call #empathy", user, "/kudos")
    assert kudos.status == 200

    after = figures(posted, refused)
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1]


def test_scheduled_runs_are_counted_by_job_and_outcome(engine):
    job = "metrics_test_" + uuid.uuid4().hex[:8]
    when = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    done = ("deskmate_scheduled_runs_total", {"job": job, "outcome": "done"})
    failed = ("deskmate_scheduled_runs_total", {"job": job, "outcome": "failed"})
    errors = ("deskmate_errors_total", {"kind": "scheduled_run"})
    before = figures(errors)[0]

    def post_fails() -> None:
        raise RuntimeError("Slack refused the post")

    assert run_once(engine, job, when, post_fails) is Outcome.FAILED
    assert run_once(engine, job, when, lambda: None) is Outcome.DONE  # the retry
    assert run_once(engine, job, when, lambda: None) is Outcome.TAKEN  # nothing more

    assert figures(done, failed) == [1, 1]
    assert figures(errors)[0] - before == 1


def test_an_unhandled_listener_error_is_counted_and_logged_without_the_request(
    app, slack_api, user, caplog
):
    errors = ("deskmate_errors_total", {"kind": "listener"})
    before = figures(errors)[0]
    typed = "<@U0ALEX0001> for helping jo.bloggs@example.com on 07700 900123 #empathy"

    with caplog.at_level(logging.INFO):
        # A malformed request: Slack always says who typed the command.
        slash(app, slack_api, typed, user, "/kudos", user_id=None)

    assert figures(errors)[0] - before == 1
    [failure] = [r for r in caplog.records if r.getMessage().startswith("A listener failed")]
    assert failure.getMessage() == "A listener failed on /kudos: KeyError"
    assert failure.levelno == logging.ERROR
    assert "jo.bloggs" not in caplog.text
    assert "900123" not in caplog.text


def test_the_exposition_is_prometheus_text_with_every_figure(app, slack_api, user):
    slash(app, slack_api, "ctr apply", user)

    body, content_type = metrics.exposition()

    assert content_type.startswith("text/plain; version=0.0.4")
    text = body.decode()
    for family, kind in (
        ("deskmate_answers_total", "counter"),
        ("deskmate_answer_seconds", "histogram"),
        ("deskmate_slack_api_calls_total", "counter"),
        ("deskmate_kudos_posted_total", "counter"),
        ("deskmate_scheduled_runs_total", "counter"),
        ("deskmate_errors_total", "counter"),
    ):
        assert f"# TYPE {family} {kind}\n" in text
    assert 'deskmate_answers_total{outcome="answered"}' in text
