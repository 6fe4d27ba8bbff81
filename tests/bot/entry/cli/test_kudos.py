"""`deskmate kudos export`, and the housekeeping job that posts kudos whose post failed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from bot.config.settings import load_settings
from bot.kudos import create_kudos, get_kudos, release, stop
from bot.kudos_text import Draft
from bot.store import kb
from scheduler.service import KUDOS_JOB, build_scheduler


def _give(settings, giver, recipients, *, at, message="for a really great call", key=None):
    engine = kb.open_database(settings)
    try:
        given, _ = create_kudos(
            engine,
            Draft(tuple(recipients), message, "culture"),
            giver_id=giver,
            request_key=key or f"{giver}:{at.isoformat()}",
            channel="C0KUDOS001",
            giver_tz=settings.tz,
            allowance=5,
            now=at,
        )
        return given
    finally:
        engine.dispose()


def test_export_writes_csv_since_the_date_to_standard_output(cli):
    settings = load_settings()
    _give(settings, "U0G1", ["U0OLD"], at=dt.datetime(2026, 8, 31, 22, 59, tzinfo=dt.UTC))
    _give(settings, "U0G2", ["U0ALEX", "U0SAM"], at=dt.datetime(2026, 8, 31, 23, 0, tzinfo=dt.UTC))

    code, out, err = cli("kudos", "export", "--since", "2026-09-01")

    assert code == 0
    assert (
        err == "names were not looked up (SLACK_BOT_TOKEN is not set): the name columns are empty\n"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    # Midnight on 1 September in London is 23:00 UTC on 31 August.
    assert [(r["giver"], r["recipient"], r["value"]) for r in rows] == [
        ("U0G2", "U0ALEX", "culture"),
        ("U0G2", "U0SAM", "culture"),
    ]


def test_export_names_each_person_from_slack_once(cli, slack_api, monkeypatch):
    settings = load_settings()
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-export")
    slack_api.person("U0G2", real_name="Priya Shah", profile={"display_name": "Priya"})
    slack_api.person("U0ALEX", real_name="Alex Morgan", profile={"display_name": ""})
    slack_api.person("U0SAM", missing=True)  # left the workspace since
    for hour in (9, 10):
        at = dt.datetime(2026, 9, 2, hour, 0, tzinfo=dt.UTC)
        _give(settings, "U0G2", ["U0ALEX", "U0SAM"], at=at)

    code, out, err = cli("kudos", "export", "--since", "2026-09-01")

    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["giver_name"], r["recipient"], r["recipient_name"]) for r in rows] == [
        ("Priya", "U0ALEX", "Alex Morgan"),
        ("Priya", "U0SAM", ""),
    ] * 2
    asked = sorted(call.body["user"] for call in slack_api.called("users.info"))
    assert asked == ["U0ALEX", "U0G2", "U0SAM"]  # once each, however many rows


def test_export_without_slack_still_writes_and_says_why_names_are_missing(
    cli, slack_api, monkeypatch
):
    settings = load_settings()
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-revoked")
    slack_api.fail("users.info", "invalid_auth")
    _give(settings, "U0G1", ["U0ALEX", "U0SAM"], at=dt.datetime(2026, 9, 2, 9, tzinfo=dt.UTC))

    code, out, err = cli("kudos", "export", "--since", "2026-09-01")

    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["recipient"], r["giver_name"], r["recipient_name"]) for r in rows] == [
        ("U0ALEX", "", ""),
        ("U0SAM", "", ""),
    ]
    assert err == (
        "names were not all looked up (Slack said: HTTP 200, invalid_auth); run "
        "`deskmate doctor` to see why\n"
    )
    assert len(slack_api.called("users.info")) == 1  # it stopped asking


def test_export_to_a_file_says_how_many(cli, tmp_path):
    settings = load_settings()
    _give(settings, "U0G1", ["U0ALEX"], at=dt.datetime(2026, 9, 2, 9, 0, tzinfo=dt.UTC))
    target = tmp_path / "kudos.csv"

    code, out, err = cli("kudos", "export", "--since", "2026-09-01", "--out", str(target))

    assert (code, out) == (0, "")
    assert err.startswith(f"exported 1 kudos since 2026-09-01 to {target}\n")
    assert target.read_text().splitlines()[0] == (
        "kudos_id,created_at,giver,giver_name,recipient,recipient_name,value,message,"
        "from_supervisor,posted"
    )
    assert not (tmp_path / "kudos.csv.partial").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["kudos", "export"], "the following arguments are required: --since"),
        (["kudos", "export", "--since", "1 Sept"], "expected a date such as 2026-09-01"),
        (["kudos"], "export"),
    ],
)
def test_export_needs_a_date_it_can_read(cli, args, says):
    code, out, err = cli(*args)

    assert code == 2
    assert out == ""
    assert says in err


def test_the_scheduler_posts_kudos_whose_post_failed(write_config, slack_api, monkeypatch):
    settings = load_settings(write_config())
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-housekeeping")
    given = _give(settings, "U0G1", ["U0ALEX"], at=dt.datetime.now(dt.UTC))
    engine = kb.open_database(settings)
    release(engine, given.id, "fatal_error")  # its first post failed
    job = build_scheduler(settings).get_job(KUDOS_JOB)

    job.func(*job.args)
    job.func(*job.args)  # the next run finds nothing to post

    [post, dm] = slack_api.called("chat.postMessage")
    assert (post.body["channel"], dm.body["channel"]) == ("C0KUDOS001", "U0ALEX")
    assert post.headers["Authorization"] == "Bearer xoxb-housekeeping"
    assert get_kudos(engine, given.id).posted_ts == "1700000000.000100"
    assert job.trigger.interval == dt.timedelta(minutes=5)
    engine.dispose()


def test_kudos_retry_lets_the_retry_pass_post_kudos_slack_refused_for_good(
    cli, write_config, slack_api, monkeypatch
):
    settings = load_settings(write_config())
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    given = _give(settings, "U0G2", ["U0SAM"], at=dt.datetime.now(dt.UTC))
    engine = kb.open_database(settings)
    stop(engine, given.id, "not_in_channel", "HTTP 200, not_in_channel")
    job = build_scheduler(settings).get_job(KUDOS_JOB)
    job.func(*job.args)
    assert slack_api.called("chat.postMessage") == []  # stopped: not tried

    assert cli("kudos", "retry") == (
        0,
        "1 kudos will be posted by the next retry pass, within a few minutes\n",
        "",
    )
    job.func(*job.args)

    assert get_kudos(engine, given.id).posted_ts == "1700000000.000100"
    assert cli("kudos", "retry")[1] == "No kudos are waiting: none was stopped by Slack\n"
    engine.dispose()
