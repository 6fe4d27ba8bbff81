"""The running scheduler (real APScheduler, built by build_scheduler as `deskmate` builds it)
with its database taken away for real (tests/db_faults): its start-up catch-up and a job's
tick fail without stopping it and post nothing, and once the database is back the run is
posted once, however many ticks and sweeps follow."""

from __future__ import annotations

import datetime as dt
import queue

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

from bot.config.schedule import DAY_NAMES, JOB_DEFAULTS
from bot.config.settings import Settings
from bot.store.models import utcnow
from scheduler.runs import get_run
from scheduler.service import SWEEP_JOB, build_scheduler

TRAINING = "C0TRAINING1"
WAIT_SECONDS = 30  # for APScheduler to run a job it was told to run now (a hang, not a timing)


def _settings(url: str, fire: dt.datetime) -> Settings:
    """Only the training nudge, on every day at `fire` (a time just gone), so a run is due
    whenever the test runs; the other jobs are off."""
    jobs = {job: {"enabled": False} for job in JOB_DEFAULTS if job != "training_nudge"}
    jobs["training_nudge"] = {
        "cron": f"{fire.minute} {fire.hour} * * *",
        "working_days_only": False,
        "grace_minutes": 60,
    }
    return Settings(
        timezone="UTC",
        database={"url": url},
        channels={"training": TRAINING},
        working_days=list(DAY_NAMES),
        holidays={"country": None},
        training={"start_date": dt.date(2020, 1, 6)},
        jobs=jobs,
    )


class Ran:
    """What the scheduler ran, in order, as it reports it."""

    def __init__(self, scheduler) -> None:
        self._queue: queue.Queue = queue.Queue()
        scheduler.add_listener(
            lambda event: self._queue.put((event.job_id, event.exception)),
            EVENT_JOB_EXECUTED | EVENT_JOB_ERROR,
        )

    def next(self) -> tuple[str, BaseException | None]:
        try:
            return self._queue.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            raise AssertionError("the scheduler ran nothing") from None


def _now(scheduler, job: str, ran: Ran) -> None:
    """Have the scheduler run `job` now (as its trigger would) and wait until it has."""
    scheduler.modify_job(job, next_run_time=dt.datetime.now(dt.UTC))
    assert ran.next() == (job, None)  # finished, and nothing escaped it


def _nudges(slack_api) -> list:
    return [c for c in slack_api.called("chat.postMessage") if c.body["channel"] == TRAINING]


def test_a_tick_with_the_database_down_posts_nothing_and_once_it_is_back_posts_once(
    breakable, engine, slack_api, monkeypatch, caplog
):
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-scheduler-test")
    fire = (utcnow() - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    settings = _settings(breakable.url.render_as_string(hide_password=False), fire)
    scheduler = build_scheduler(settings)
    ran = Ran(scheduler)

    breakable.down()
    try:
        scheduler.start()  # its first act is the start-up catch-up, now
        assert ran.next() == ("start_up", None)
        _now(scheduler, "training_nudge", ran)

        assert scheduler.running
        assert _nudges(slack_api) == []
        assert caplog.text.count("the scheduler could not run its jobs") == 2

        breakable.up()
        _now(scheduler, "training_nudge", ran)
        _now(scheduler, "training_nudge", ran)
        _now(scheduler, SWEEP_JOB, ran)
    finally:
        breakable.up()
        scheduler.shutdown(wait=True)

    [post] = _nudges(slack_api)
    assert "Training day" in str(post.body["blocks"])
    assert get_run(engine, "training_nudge", fire).status == "done"
