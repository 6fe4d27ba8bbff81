"""The monthly figures job (SQLite and PostgreSQL): the chart uploaded once to the
supervisors with the summary, each active CSR's own figures by DM once, on the first working
day of the month, with a part-failed run retrying only what failed."""

from __future__ import annotations

import datetime as dt
import json

from slack_sdk import WebClient

from bot.config.settings import Settings
from scheduler.clock import next_run
from scheduler.delivery import JobContext
from scheduler.runs import Outcome, get_run
from scheduler.service import run_due, run_job

from ..bot.figures.test_monthly import _add, feedback, kudos, quiz, search
from ..slack_fake import UPLOAD

SUPERVISORS = "C0SUPERVIS1"
SETTINGS = Settings(channels={"supervisors": SUPERVISORS})
JOB = "monthly_figures"
APRIL_1 = dt.datetime(2026, 4, 1, 9, tzinfo=SETTINGS.tz)  # a Wednesday: March's figures


def _ctx(engine, slack_api, settings=SETTINGS) -> JobContext:
    return JobContext(
        settings=settings,
        engine=engine,
        client_factory=lambda: WebClient(token="xoxb-test", base_url=slack_api.api_url),
    )


def _seed(engine) -> None:
    _add(
        engine,
        search("U0ANNE0001"),
        search("U0ANNE0001", answered=False),
        feedback("U0ANNE0001", helpful=True),
        quiz("U0BEN00001", correct=True),
    )
    kudos(engine, "U0ANNE0001", "U0BEN00001")


def _dms(slack_api) -> dict[str, dict]:
    return {
        call.body["channel"]: call.body
        for call in slack_api.called("chat.postMessage")
        if call.body["channel"].startswith("U")
    }


def test_the_chart_and_each_csrs_figures_are_posted_once(engine, slack_api):
    _seed(engine)
    ctx = _ctx(engine, slack_api)

    assert run_job(ctx, JOB, APRIL_1) is Outcome.DONE
    posted = list(slack_api.calls)
    assert run_job(ctx, JOB, APRIL_1, retry=True) is Outcome.TAKEN

    assert slack_api.calls == posted  # the second fire posted nothing
    [upload] = slack_api.called(UPLOAD)
    assert upload.body["data"].startswith(b"\x89PNG")
    [complete] = slack_api.called("files.completeUploadExternal")
    assert complete.body["channel_id"] == SUPERVISORS
    assert json.loads(complete.body["files"])[0]["title"] == "Monthly figures, March 2026"
    comment = complete.body["initial_comment"]
    assert "*Monthly figures, March 2026*" in comment
    assert "2 people active" in comment
    assert "• <@U0ANNE0001>: 2 looked up, 1 gaps, helpful 100% (of 1 feedback)" in comment
    dms = _dms(slack_api)
    assert sorted(dms) == ["U0ANNE0001", "U0BEN00001"]
    assert "Your figures for March 2026" in dms["U0BEN00001"]["text"]
    assert "*Quiz accuracy:* 100% (1 of 1 right)" in str(dms["U0BEN00001"]["blocks"])
    assert "*Kudos:* 0 given, 1 received" in str(dms["U0BEN00001"]["blocks"])


def test_it_runs_on_the_first_working_day_of_the_month():
    def after(day: dt.date) -> dt.datetime:
        return next_run(SETTINGS, JOB, dt.datetime.combine(day, dt.time(10), tzinfo=SETTINGS.tz))

    assert after(dt.date(2025, 12, 15)) == dt.datetime(2026, 1, 2, 9, tzinfo=SETTINGS.tz)
    assert after(dt.date(2026, 3, 2)) == APRIL_1
    assert after(dt.date(2026, 4, 1)) == dt.datetime(2026, 5, 1, 9, tzinfo=SETTINGS.tz)
    # 1 August 2026 is a Saturday.
    assert after(dt.date(2026, 7, 2)) == dt.datetime(2026, 8, 3, 9, tzinfo=SETTINGS.tz)


def test_a_failed_dm_is_retried_alone(engine, slack_api):
    _seed(engine)
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "channel_not_found"}, once=True)
    ctx = _ctx(engine, slack_api)

    [first] = run_due(ctx, APRIL_1, [JOB])
    [second] = run_due(ctx, APRIL_1 + dt.timedelta(minutes=5), [JOB])

    assert (first.outcome, second.outcome) == (Outcome.FAILED, Outcome.DONE)
    assert len(slack_api.called(UPLOAD)) == 1
    dms = [call.body["channel"] for call in slack_api.called("chat.postMessage")]
    assert dms == ["U0ANNE0001", "U0BEN00001", "U0ANNE0001"]  # failed, other, retry
    assert get_run(engine, JOB, APRIL_1).status == "done"


def test_without_a_supervisors_channel_the_dms_still_go(engine, slack_api, caplog):
    _seed(engine)

    assert run_job(_ctx(engine, slack_api, Settings()), JOB, APRIL_1) is Outcome.DONE

    assert "channels.supervisors is not set" in caplog.text
    assert slack_api.called("files.getUploadURLExternal") == []
    assert sorted(_dms(slack_api)) == ["U0ANNE0001", "U0BEN00001"]


def test_a_channel_name_gets_the_summary_without_the_chart(engine, slack_api, caplog):
    _seed(engine)
    settings = Settings(channels={"supervisors": "#supervisors"})

    assert run_job(_ctx(engine, slack_api, settings), JOB, APRIL_1) is Outcome.DONE

    assert "the chart needs channels.supervisors as an ID" in caplog.text
    assert slack_api.called(UPLOAD) == []
    [summary] = [
        call.body
        for call in slack_api.called("chat.postMessage")
        if call.body["channel"] == "#supervisors"
    ]
    assert "*Monthly figures, March 2026*" in summary["text"]


def test_a_quiet_month_says_so_and_sends_no_dms(engine, slack_api):
    assert run_job(_ctx(engine, slack_api), JOB, APRIL_1) is Outcome.DONE

    [post] = slack_api.called("chat.postMessage")
    assert post.body["channel"] == SUPERVISORS
    assert "No activity was recorded this month." in post.body["text"]
    assert slack_api.called(UPLOAD) == []
