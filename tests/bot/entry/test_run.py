"""How `deskmate` chooses to run, Socket Mode up to the point of connecting, and the nightly
purge of search logs (its command and its schedule)."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlmodel import select

from bot.answer import purge_expired_search_logs
from bot.config.settings import load_settings
from bot.entry.modes import RunError, check_socket_tokens, choose_mode
from bot.entry.run import socket_mode_handler
from bot.store import kb, models
from scheduler.delivery import JobContext
from scheduler.service import build_scheduler, run_job

BOT_TOKEN = "xoxb-1-test"
APP_TOKEN = "xapp-1-test"

# -- choosing the mode --------------------------------------------------------------------


def test_both_slack_tokens_mean_socket_mode():
    assert choose_mode({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}) == "socket"


@pytest.mark.parametrize("environ", [{}, {"SLACK_BOT_TOKEN": "  ", "SLACK_APP_TOKEN": ""}])
def test_no_slack_tokens_mean_the_console(environ):
    assert choose_mode(environ) == "console"


@pytest.mark.parametrize(
    ("given", "missing"),
    [("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"), ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN")],
)
def test_one_token_alone_is_refused_naming_the_other(given, missing):
    with pytest.raises(RunError) as caught:
        choose_mode({given: "xox-something"})

    assert f"{missing} is not set" in str(caught.value)
    assert "console" in str(caught.value)


@pytest.mark.parametrize(
    ("bot", "app", "complaint"),
    [("xapp-1-swapped", "xoxb-1-swapped", "xoxb-"), (BOT_TOKEN, "xoxb-1-wrong", "xapp-")],
)
def test_token_mix_ups_are_caught_before_slack_sees_them(bot, app, complaint):
    with pytest.raises(RunError, match=complaint):
        check_socket_tokens({"SLACK_BOT_TOKEN": bot, "SLACK_APP_TOKEN": app})


def test_the_socket_mode_handler_wraps_the_app_without_connecting(write_config, slack_api):
    handler = socket_mode_handler(load_settings(write_config()), APP_TOKEN)
    try:
        assert isinstance(handler, SocketModeHandler)
        assert handler.app_token == APP_TOKEN
        assert handler.client.current_session is None  # nothing opened
        assert slack_api.calls == []
    finally:
        handler.close()


def test_deskmate_with_both_tokens_goes_to_slack_in_socket_mode(
    cli, monkeypatch, slack_api, capsys
):
    # Slack refuses the app token, so the attempt stops before any socket is opened.
    slack_api.fail("apps.connections.open", "invalid_auth")
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", APP_TOKEN)

    code, out, err = cli()

    assert code == 2
    assert "Deskmate console" not in out
    assert "Slack refused to open a Socket Mode connection (invalid_auth)" in err
    (call,) = slack_api.called("apps.connections.open")
    assert call.headers["Authorization"] == f"Bearer {APP_TOKEN}"


def test_deskmate_with_one_token_says_which_is_missing_and_changes_nothing(
    cli, monkeypatch, tmp_path
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)

    code, out, err = cli()

    assert code == 2
    assert out == ""
    assert "SLACK_APP_TOKEN is not set" in err
    assert not (tmp_path / "config" / "test.db").exists()


def test_serve_without_http_is_socket_mode_and_needs_the_tokens(cli):
    code, _, err = cli("serve")

    assert code == 2
    assert "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN" in err


def test_deskmate_without_tokens_runs_the_console_on_standard_input(cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("/answer ctr apply\nquit\n"))

    code, out, _ = cli()

    assert code == 0
    assert "Council Tax Reduction" in out
    assert "[1] Share in channel" in out


# -- the nightly purge --------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _log(engine, *, days_ago: float, query: str) -> None:
    with kb.db.session(engine) as session:
        session.add(
            models.SearchLog(
                user_id="U1",
                query=query,
                answered=True,
                latency_ms=1.0,
                created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago),
            )
        )


def _queries(engine) -> list[str]:
    with kb.db.session(engine) as session:
        return sorted(row.query for row in session.exec(select(models.SearchLog)))


@pytest.fixture
def retention_30(write_config):
    write_config("database:\n  url: sqlite:///test.db\nlogs:\n  retention_days: 30\n")
    settings = load_settings()
    return settings, kb.open_database(settings)


def test_logs_purge_removes_only_logs_past_the_retention(cli, retention_30):
    _, engine = retention_30
    _log(engine, days_ago=31, query="old")
    _log(engine, days_ago=400, query="ancient")
    _log(engine, days_ago=29, query="recent")

    code, out, _ = cli("logs", "purge")

    assert code == 0
    assert out == "removed 2 search logs older than 30 days\n"
    assert _queries(engine) == ["recent"]


def test_logs_purge_with_nothing_to_remove_says_so(cli, retention_30):
    _, engine = retention_30
    _log(engine, days_ago=1, query="recent")

    code, out, _ = cli("logs", "purge")

    assert (code, out) == (0, "removed 0 search logs older than 30 days\n")
    assert _queries(engine) == ["recent"]


def test_logs_without_a_command_shows_its_commands(cli):
    code, _, err = cli("logs")

    assert code == 2
    assert "purge" in err


def test_purge_counts_back_from_the_time_given(retention_30):
    settings, engine = retention_30
    _log(engine, days_ago=10, query="ten days")

    removed = purge_expired_search_logs(
        engine, settings, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=25)
    )

    assert removed == 1
    assert _queries(engine) == []


@pytest.mark.parametrize("zone", ["Europe/London", "America/Chicago"])
def test_the_purge_is_scheduled_nightly_at_half_past_two_local_time(write_config, zone):
    settings = load_settings(write_config(f"timezone: {zone}\n"))

    scheduler = build_scheduler(settings)
    job = scheduler.get_job("search_log_purge")
    first = job.trigger.get_next_fire_time(None, NOW)
    second = job.trigger.get_next_fire_time(first, first + dt.timedelta(minutes=1))

    assert not scheduler.running
    assert (first.hour, first.minute) == (2, 30)
    assert str(first.tzinfo) == zone
    assert second - first == dt.timedelta(days=1)


def test_the_scheduled_job_purges_the_configured_database(retention_30):
    settings, engine = retention_30
    _log(engine, days_ago=45, query="old")
    _log(engine, days_ago=2, query="recent")
    ctx = JobContext(settings=settings, engine=engine)

    run_job(ctx, "search_log_purge", dt.datetime.now(dt.UTC))

    assert _queries(engine) == ["recent"]


def test_a_failed_purge_is_logged_and_does_not_stop_the_scheduler(write_config, caplog):
    settings = load_settings(write_config())
    broken = settings.model_copy(
        update={"database": settings.database.model_copy(update={"url": "sqlite:///nope/x.db"})}
    )
    job = build_scheduler(broken).get_job("sweep")

    job.func(*job.args)  # does not raise

    assert "the scheduler could not run its jobs" in caplog.text


def test_socket_mode_starts_without_bolts_token_and_client_warning(
    write_config, slack_api, monkeypatch, caplog
):
    """SLACK_BOT_TOKEN is set in Socket Mode and the app is given its client: Bolt would
    warn that the token is unused, which reads to an IT admin like a mistake of theirs."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    caplog.set_level(logging.DEBUG)

    handler = socket_mode_handler(load_settings(write_config()), APP_TOKEN)
    handler.close()

    assert "token` will be unused" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
