"""`deskmate jobs list` and `deskmate jobs fire`: the same claim as the scheduler."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session, select

from bot.config.settings import load_settings
from bot.store import db
from bot.store.models import JobRun, utcnow
from scheduler.runs import CLAIM_MINUTES


def test_list_shows_each_job_and_its_next_run_in_json(cli):
    code, out, err = cli("jobs", "list", "--json")

    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert [row["id"] for row in rows] == [
        "training_nudge",
        "kudos_digest",
        "search_log_purge",
        "review_reminders",
        "starter_lessons",
        "monthly_figures",
    ]
    assert all(row["next_run"].endswith(("+00:00", "+01:00")) for row in rows)
    assert rows[0]["next_run"][11:16] == "09:00"


def test_a_second_fire_for_the_same_time_does_nothing_and_says_so(cli):
    first = cli("jobs", "fire", "search_log_purge", "--at", "2026-03-02T02:30")
    second = cli("jobs", "fire", "search_log_purge", "--at", "2026-03-02T02:30+00:00")

    assert first[:2] == (0, "search_log_purge for 2026-03-02T02:30:00+00:00: done\n")
    assert second[0] == 0
    assert "already done; nothing posted" in second[1]
    code, out, _ = cli("jobs", "list")
    assert "last: done" in out


def test_a_failed_fire_exits_1_and_is_recorded(cli, write_config, slack_api, monkeypatch):
    write_config("database:\n  url: sqlite:///test.db\nchannels:\n  training: C0TRAIN001\n")
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "channel_not_found"}, once=True)

    code, _, err = cli("jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00")
    again = cli("jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00")

    assert code == 1 and "failed" in err and "recorded" in err
    assert again[0] == 0 and again[1].endswith(": done\n")  # the retry went out
    assert len(slack_api.called("chat.postMessage")) == 2


def test_unknown_job_and_bad_time_are_refused(cli):
    assert cli("jobs", "fire", "nudge", "--at", "2026-03-02T09:00")[0] == 2
    code, out, err = cli("jobs", "fire", "training_nudge", "--at", "Monday")

    assert (code, out) == (2, "")
    assert "expected an ISO time such as 2026-03-02T09:00" in err


def test_a_job_with_no_channel_is_skipped_and_fires_once_the_channel_is_set(
    cli, write_config, slack_api, monkeypatch
):
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    write_config("database:\n  url: sqlite:///test.db\n")  # no channels.training

    code, out, err = cli("jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00")

    assert (code, out) == (1, "")
    assert err.endswith(  # after the same as a log line, which is how the scheduler says it
        "training_nudge for 2026-03-02T09:00:00+00:00: skipped (channels.training is not set "
        "in app.yaml); nothing posted\n"
    )
    assert "last: skipped" in cli("jobs", "list")[1]
    assert slack_api.called("chat.postMessage") == []

    write_config("database:\n  url: sqlite:///test.db\nchannels:\n  training: C0TRAIN001\n")
    fired = cli("jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00")
    again = cli("jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00")

    assert fired[:2] == (0, "training_nudge for 2026-03-02T09:00:00+00:00: done\n")
    assert "already done; nothing posted" in again[1]
    [post] = slack_api.called("chat.postMessage")
    assert post.body["channel"] == "C0TRAIN001"


def test_a_run_stopped_part_way_is_shown_stuck_and_finished_by_a_fire(
    cli, write_config, slack_api, monkeypatch
):
    write_config("database:\n  url: sqlite:///test.db\nchannels:\n  training: C0TRAIN001\n")
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    cli("jobs", "list")  # the database, migrated
    engine = db.make_engine(load_settings().database.url)
    when = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    with Session(engine) as session:
        session.add(JobRun(job="training_nudge", scheduled_for=when, status="claimed"))
        session.commit()

    # Claimed a moment ago: another instance may be running it.
    busy = cli("jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00")
    assert busy[0] == 1 and busy[1] == ""
    assert "already claimed at" in busy[2] and "not finished; nothing posted" in busy[2]

    # Claimed long ago and never finished: its instance was stopped part-way.
    with Session(engine) as session:
        run = session.exec(select(JobRun)).one()
        run.claimed_at = utcnow() - dt.timedelta(minutes=CLAIM_MINUTES + 1)
        session.add(run)
        session.commit()
    listed = cli("jobs", "list")[1]
    rows = [json.loads(line) for line in cli("jobs", "list", "--json")[1].splitlines()]
    [row] = [r for r in rows if r["id"] == "training_nudge"]
    assert "training_nudge" in listed and "last: stuck (claimed at" in listed
    assert row["last_run"]["stuck"] is True and row["last_run"]["status"] == "claimed"

    fired = cli("jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00")
    assert fired[:2] == (0, "training_nudge for 2026-03-02T09:00:00+00:00: done\n")
    assert len(slack_api.called("chat.postMessage")) == 1
    assert "last: done" in cli("jobs", "list")[1]
    engine.dispose()
