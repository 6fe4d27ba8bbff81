"""The monthly figures job (SQLite and PostgreSQL): the chart uploaded once to the
supervisors with the summary, each active CSR's own figures by DM once, on the first working
day of the month, with a part-failed run retrying only what failed."""

from __future__ import annotations

import datetime as dt
import json

from slack_sdk import WebClient

from bot.config.settings import Settings
from bot.figures.charts import chart_png
from bot.figures.monthly import monthly_figures
from scheduler.clock import next_run
from scheduler.delivery import JobContext
from scheduler.runs import Outcome, get_run
from scheduler.service import run_due, run_job

from ..bot.figures.test_monthly import _add, feedback, kudos, quiz, search
from ..slack_fake import UPLOAD, conversation

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


def test_the_supervisors_chart_is_labelled_with_names_not_member_ids(engine, slack_api):
    _seed(engine)
    slack_api.person("U0ANNE0001", profile={"display_name": "Anne"})
    slack_api.person("U0BEN00001", real_name="Ben Okoro")

    assert run_job(_ctx(engine, slack_api), JOB, APRIL_1) is Outcome.DONE

    [upload] = slack_api.called(UPLOAD)
    month = monthly_figures(engine, month=dt.date(2026, 3, 1), tz=SETTINGS.tz)
    named = chart_png(month, names={"U0ANNE0001": "Anne", "U0BEN00001": "Ben Okoro"})
    assert upload.body["data"] == named != chart_png(month)  # the same chart, with names
    asked = [call.body["user"] for call in slack_api.called("users.info")]
    assert sorted(asked) == ["U0ANNE0001", "U0BEN00001"]  # each once


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


def test_each_csr_hears_their_measures_beside_their_team_and_the_targets_and_no_one_elses(
    engine, slack_api
):
    from ..bot.figures.test_monthly import agent_day, card

    settings = Settings(
        channels={"supervisors": SUPERVISORS},
        teams=[{"name": "Revenues", "members": {"U0ANNE0001": 37.5, "U0BEN00001": 22.5}}],
        targets={"satisfaction": 0.9, "handle_minutes": 6},
        figures={"agents": {"1001": "U0ANNE0001", "1002": "U0BEN00001"}},
    )
    _add(
        engine,
        agent_day("1001", dt.date(2026, 3, 2), 10, 480),
        agent_day("1002", dt.date(2026, 3, 2), 10, 300),
        agent_day("1001", dt.date(2026, 2, 2), 10, 420),  # last month
        card("C1", "1001", 3),
        card("C2", "1001", 5),
        card("C3", "1002", 5),
    )

    assert run_job(_ctx(engine, slack_api, settings), JOB, APRIL_1) is Outcome.DONE

    dms = _dms(slack_api)
    anne = json.dumps(dms["U0ANNE0001"]["blocks"], ensure_ascii=False)
    assert (
        "*Average handle time:* 8.0 min · Revenues 6.5 min · target 6.0 min · up 1.0 min on "
        "last month (worse) :warning: below target"
    ) in anne
    assert (
        "*Survey cards rated 5:* 50% · Revenues 67% · target 90% · new this month "
        ":warning: below target"
    ) in anne
    assert "*One thing to try for each below target*" in anne
    assert "Look again at training day 7:" in anne  # call notes, for the handle time
    ben = json.dumps(dms["U0BEN00001"]["blocks"], ensure_ascii=False)
    assert "*Average handle time:* 5.0 min · Revenues 6.5 min" in ben
    assert "below target" not in ben
    # Nobody's message names another CSR or their figures.
    assert "U0BEN00001" not in anne and "8.0 min" not in ben
    assert "U0ANNE0001" not in ben


def test_each_team_supervisor_gets_their_team_alone_with_its_charts(engine, slack_api):
    _add(
        engine,
        search("U0ANNE0001"),
        search("U0BEN00001"),
        search("U0CARL0001"),  # in Housing
    )
    settings = Settings(
        channels={"supervisors": SUPERVISORS},
        teams=[
            {
                "name": "Revenues",
                "members": {"U0ANNE0001": 37.5, "U0BEN00001": 22.5},
                "supervisors": ["U0SUPR0001"],
            },
            {"name": "Housing", "members": {"U0CARL0001": 37.5}, "supervisors": ["U0SUPR0002"]},
        ],
    )
    slack_api.person("U0ANNE0001", profile={"display_name": "Anne"})

    assert run_job(_ctx(engine, slack_api, settings), JOB, APRIL_1) is Outcome.DONE

    opened = [call.body["users"] for call in slack_api.called("conversations.open")]
    assert {"U0SUPR0001", "U0SUPR0002"} <= set(opened)
    uploads = {
        call.body["channel_id"]: call.body
        for call in slack_api.called("files.completeUploadExternal")
    }
    revenues = uploads[conversation("U0SUPR0001")]
    assert revenues["initial_comment"].startswith("*Revenues: monthly figures, March 2026*")
    assert "<@U0ANNE0001>" in revenues["initial_comment"]
    assert "U0CARL0001" not in revenues["initial_comment"]  # another team's CSR
    titles = [file["title"] for file in json.loads(revenues["files"])]
    assert titles == ["Revenues: March 2026", "Revenues: trend"]
    housing = uploads[conversation("U0SUPR0002")]["initial_comment"]
    assert "<@U0CARL0001>" in housing and "U0ANNE0001" not in housing
    # The chart's labels are names: each active member looked up in Slack, nobody else.
    asked = [call.body["user"] for call in slack_api.called("users.info")]
    # Once each, though the supervisors' chart names them too.
    assert sorted(asked) == ["U0ANNE0001", "U0BEN00001", "U0CARL0001"]


def test_a_change_too_small_to_show_is_said_to_be_about_the_same():
    from bot.config.figures import Targets
    from bot.figures.monthly import Figures
    from bot.figures.targets import Report, lines
    from bot.slack.blocks.figures import measures

    found = lines(
        Figures(cards=1000, fives=801),
        team=Figures(cards=10, fives=9),
        last_month=Figures(cards=1000, fives=800),
        targets=Targets(),
    )
    [section] = measures(Report(team="Revenues", lines=found, suggestions={}))
    assert "about the same as last month" in section["text"]["text"]
    assert "up 0 points" not in section["text"]["text"]
