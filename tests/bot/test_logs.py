"""Deskmate's log lines (bot.logs): the JSON and text formats, the levels, the scrubbing of
secrets, and the places that used to let what people typed into a log. The whole server,
with a fake Slack and real failures, is in tests/bot/test_server.py."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_bolt import Respond
from slack_bolt.request import BoltRequest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot import logs
from bot.answer import record_suggestion
from bot.config.settings import Settings
from bot.entry.app import create_app
from handlers import replies

from ..databases import BACKEND, new_database
from ..handlers.payloads import command_body, signed
from ..slack_fake import RESPONSE_URL
from .entry.http_server import (
    BOT_TOKEN,
    SECRET,
    answer,
    answer_form,
    button,
    press_form,
    running_server,
)
from .entry.test_server_kudos import KUDOS_CHANNEL, _kudos

TOKEN = "xoxb-20260101-1234567890-AbCdEfGhIjKlMnOpQrStUvWx"
APP_TOKEN = "xapp-1-A0DESKMATE-1234567890-0123456789abcdef"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PASSWORD = 'p@ss"w\\rd/with:odd#chars'
ENCODED = "p%40ss%22w%5Crd%2Fwith%3Aodd%23chars"  # PASSWORD as a URL holds it
DATABASE_URL = f"postgresql+psycopg://deskmate:{ENCODED}@db:5432/deskmate"
ENVIRON = {
    "SLACK_BOT_TOKEN": TOKEN,
    "SLACK_APP_TOKEN": APP_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "DATABASE_URL": DATABASE_URL,
}
SECRETS = (TOKEN, APP_TOKEN, SIGNING_SECRET, PASSWORD, ENCODED, "p%40ss%22w%5Crd")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """configure_logging changes the process's logging; put it back for the next test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in logs.QUIET_BELOW_DEBUG}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)
    logging.captureWarnings(False)


def configured(**environ: str) -> io.StringIO:
    """Logging set up as an entry point does, writing into the returned buffer."""
    out = io.StringIO()
    logs.configure_logging(environ=environ, stream=out)
    return out


def lines(out: io.StringIO) -> list[str]:
    return out.getvalue().splitlines()


# -- formats ----------------------------------------------------------------------------------


def test_json_lines_carry_time_level_logger_message_and_extra_fields():
    out = configured(LOG_FORMAT="json")

    logging.getLogger("deskmate.test").warning(
        "kudos %s not posted", 7, extra={"channel": "C0KUDOS001", "attempt": 2}
    )

    [line] = lines(out)
    event = json.loads(line)
    assert event["level"] == "WARNING"
    assert event["logger"] == "deskmate.test"
    assert event["message"] == "kudos 7 not posted"
    assert (event["channel"], event["attempt"]) == ("C0KUDOS001", 2)
    assert event["time"].endswith("Z")
    assert abs(time.time() - _epoch(event["time"])) < 3600  # today, in UTC
    assert "exc" not in event


def _epoch(iso: str) -> float:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_an_exception_stays_on_one_line_with_its_traceback_in_exc():
    out = configured(LOG_FORMAT="json")

    try:
        raise RuntimeError("the index is gone")
    except RuntimeError:
        logging.getLogger("deskmate.test").exception("Could not answer")

    [line] = lines(out)
    event = json.loads(line)
    assert event["message"] == "Could not answer"
    assert event["level"] == "ERROR"
    assert event["exc"].startswith("Traceback (most recent call last):")
    assert event["exc"].endswith("RuntimeError: the index is gone")


def test_plain_text_is_the_default():
    out = configured()

    logging.getLogger("deskmate.test").info("Knowledge base changed")

    [line] = lines(out)
    assert line.endswith(" INFO deskmate.test: Knowledge base changed")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


# -- levels -----------------------------------------------------------------------------------


def test_the_default_level_holds_unless_log_level_says_otherwise():
    out = configured()
    logging.getLogger("deskmate.test").debug("not shown at INFO")
    assert lines(out) == []

    out = configured(LOG_LEVEL="debug")
    logging.getLogger("deskmate.test").debug("shown at DEBUG")
    assert lines(out)[-1].endswith("shown at DEBUG")

    out = io.StringIO()
    logs.configure_logging(default_level=logging.WARNING, environ={}, stream=out)
    logging.getLogger("deskmate.test").info("not shown for a one-off command")
    assert lines(out) == []


def test_slack_libraries_are_held_at_warning_unless_debugging():
    out = configured()
    logging.getLogger("slack_sdk.web.base_client").info("body: text=what they typed")
    # Bolt copies the root's level onto loggers it makes without an app logger to follow.
    copied = logging.getLogger("slack_bolt.RequestVerification")
    copied.setLevel(logging.INFO)
    try:
        copied.info("body: text=what they typed")
    finally:
        copied.setLevel(logging.NOTSET)
    logging.getLogger("slack_bolt.App").warning("Unhandled request")
    assert [line.rsplit(": ", 1)[1] for line in lines(out)] == ["Unhandled request"]

    out = configured(LOG_LEVEL="DEBUG")
    logging.getLogger("slack_sdk.web.base_client").debug("body: text=what they typed")
    assert len(lines(out)) == 1


def test_configuring_again_replaces_the_handler_rather_than_adding_one():
    configured()
    out = configured(LOG_FORMAT="json")

    logging.getLogger("deskmate.test").warning("once")

    assert len(lines(out)) == 1
    assert len([h for h in logging.getLogger().handlers if getattr(h, "_deskmate", False)]) == 1


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("LOG_LEVEL", "loud", "LOG_LEVEL should be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT should be one of text, json, not 'xml'"),
    ],
)
def test_an_unknown_log_level_or_format_stops_the_command_with_what_to_set(
    cli, monkeypatch, tmp_path, variable, value, expected
):
    monkeypatch.setenv(variable, value)

    code, out, err = cli("kb", "search", "ctr apply")

    assert code == 2
    assert out == ""
    assert err.startswith(f"deskmate: {expected}")
    assert list(tmp_path.rglob("*.db")) == []  # no database was opened or made


# -- secrets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "json"])
def test_tokens_secrets_and_the_database_password_are_scrubbed_wherever_they_appear(kind):
    out = configured(LOG_FORMAT=kind, **ENVIRON)
    log = logging.getLogger("deskmate.test")

    log.warning("calling Slack with %s", TOKEN)
    log.warning("connecting with %s", APP_TOKEN, extra={"url": DATABASE_URL, "who": [PASSWORD]})
    log.warning("another workspace's token xoxp-111-222-333-abcdef and a refresh xoxe-1-abc")
    try:
        raise ValueError(f"bad signature {SIGNING_SECRET} for password {PASSWORD}")
    except ValueError:
        log.exception("verification failed")

    written = out.getvalue()
    for secret in (*SECRETS, "xoxp-111", "xoxe-1-abc"):
        assert secret not in written
    assert logs.REDACTED in written
    if kind == "json":
        events = [json.loads(line) for line in lines(out)]
        assert events[1]["who"] == [logs.REDACTED]
        assert events[1]["url"] == DATABASE_URL.replace(ENCODED, logs.REDACTED)
        assert events[3]["message"] == "verification failed"
        assert f"bad signature {logs.REDACTED} for password {logs.REDACTED}" in events[3]["exc"]


def test_a_secret_too_short_to_be_real_is_not_scrubbed_from_every_word():
    out = configured(SLACK_SIGNING_SECRET="x")

    logging.getLogger("deskmate.test").warning("next run in 5 minutes")

    assert lines(out)[0].endswith("next run in 5 minutes")


def test_a_forged_request_is_refused_without_its_text_reaching_the_log(tmp_path):
    """Bolt logs a refused request's body at INFO; Deskmate's log at INFO must not have it."""
    out = configured(**ENVIRON)
    app = create_app(Settings(), signing_secret=SIGNING_SECRET)  # deskmate.db in tmp_path
    raw = urlencode(command_body("council tax for jo.bloggs@example.com on 07700 900123"))
    headers = signed("a guess at the secret", raw, "application/x-www-form-urlencoded")

    response = app.dispatch(BoltRequest(body=raw, headers=headers))

    assert response.status == 401
    assert "jo.bloggs" not in out.getvalue()
    assert "900123" not in out.getvalue()


# -- what people typed, at the source ---------------------------------------------------------


def test_a_reply_slack_refuses_is_logged_without_its_text(slack_api, caplog):
    slack_api.reply("response_url", status=404, body="expired_url")
    typed = "Your kudos isn't saved: /kudos <@U0ALEX0001> for helping jo.bloggs@example.com"

    told = replies.tell(Respond(response_url=slack_api.response_url()), logging.getLogger(), typed)

    assert told is False
    assert "Could not tell the user: HTTP 404" in caplog.text
    assert "jo.bloggs" not in caplog.text


def test_a_database_error_does_not_carry_what_was_typed(engine):
    """SQLAlchemy puts a failed statement's parameters in its message (and so in any
    traceback logged); Deskmate's engines leave them out."""
    typed = "please add: caller jo.bloggs@example.com rang from 07700 900123"
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE edit_suggestion"))

    with pytest.raises(SQLAlchemyError) as failed:
        record_suggestion(engine, article_id="housing-repairs", user_id="U0CSR0001", text=typed)

    assert "edit_suggestion" in str(failed.value)  # the statement is still there to debug
    assert "jo.bloggs" not in str(failed.value)
    assert "900123" not in str(failed.value)


# -- the whole server -------------------------------------------------------------------------

PERSONAL = ("jo.bloggs@example.com", "07700 900123")
DB_PASSWORD = "fake-db-password-7Hq2x"  # PostgreSQL here trusts loopback: any password does
LOG_SECONDS = 20  # for a line the server is about to write (a hang, not a timing)


def _wait_for_line(log: Path, text: str) -> None:
    deadline = time.monotonic() + LOG_SECONDS
    while text not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # a poll of a file another process writes, bounded above
    assert text in log.read_text(), f"the server never logged {text!r}"


def test_the_server_log_is_json_lines_without_secrets_or_personal_details(tmp_path, slack_api):
    """Forged, failing and personal requests through the real server, then its whole log."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    email, phone = PERSONAL
    kudos = f"<@U0ALEX0001> for calming the caller at {email} on {phone} #empathy"
    with new_database(tmp_path) as url:
        if BACKEND == "postgresql":
            url = make_url(url).set(password=DB_PASSWORD).render_as_string(hide_password=False)
        with running_server(
            tmp_path,
            f"channels:\n  kudos: {KUDOS_CHANNEL}\n",
            slack_api.api_url,
            url,
            environ={"LOG_FORMAT": "json", "TMPDIR": str(scratch)},
        ) as server:
            shared = list(scratch.glob("deskmate-metrics-*"))
            question = f"council tax discount for {email} call back on {phone}"
            assert (
                server.post(answer_form(question, slack_api.response_url()), secret="guess")[0]
                == 401
            )
            card = answer(server, slack_api, question)

            slack_api.fail("views.open", "expired_trigger_id")
            server.post(press_form(button(card, "Not helpful"), slack_api.response_url("form")))
            slack_api.wait_for(RESPONSE_URL, 1)  # "Sorry, I couldn't open the form"

            _kudos(server, slack_api, kudos, name="posted")
            slack_api.wait_for(RESPONSE_URL, 2)
            slack_api.fail("chat.postMessage", "channel_not_found")
            _kudos(server, slack_api, kudos.replace("U0ALEX0001", "U0SAM00001"), name="refused")
            slack_api.wait_for(RESPONSE_URL, 3)

            # Malformed (Slack always says who typed it): the listener fails unhandled.
            anonymous = {"command": "/kudos", "text": kudos, "team_id": "T0COUNCIL"}
            server.post(urlencode(anonymous | {"response_url": slack_api.response_url("x")}))
            _wait_for_line(server.log, "A listener failed on /kudos")

    log = server.log.read_text()
    events = [json.loads(line) for line in log.splitlines()]  # every line is one JSON object
    messages = [event["message"] for event in events]
    assert {"time", "level", "logger", "message"} <= set(events[0])
    for unsaid in (SECRET, BOT_TOKEN, DB_PASSWORD, email, "example.com", phone, "900123"):
        assert unsaid not in log
    # The failures were logged, so the absences above mean something.
    assert "Could not open a modal (views.open): HTTP 200, expired_trigger_id" in messages
    assert any(m.startswith("Could not post kudos") for m in messages)
    assert "A listener failed on /kudos: KeyError" in messages
    assert any(event["logger"] == "gunicorn.error" for event in events)
    assert any(event["logger"] == "uvicorn.error" for event in events)  # the workers' loop
    # The workers' shared metrics folder was there while it ran, and went with it.
    assert len(shared) == 1
    assert not shared[0].exists()
