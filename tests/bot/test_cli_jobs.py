"""`deskmate jobs list` and `deskmate jobs fire`: the same claim as the scheduler."""

from __future__ import annotations

import json


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
