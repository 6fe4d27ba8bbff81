"""Exactly once: several schedulers, restarts and retries post each run once (SQLite and
PostgreSQL through the `engine` fixture)."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from slack_sdk import WebClient
from sqlmodel import Session

from bot.config.settings import Settings
from bot.store import db
from bot.store.models import JobDelivery, JobRun, utcnow
from scheduler.delivery import JobContext
from scheduler.runs import CLAIM_MINUTES, Outcome, get_run
from scheduler.service import run_due, run_job, start_up

TRAINING = "C0TRAINING1"
NINE = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # Monday 2 March 2026, 09:00 GMT
SETTINGS = Settings(channels={"training": TRAINING})


def _ctx(engine, slack_api) -> JobContext:
    return JobContext(
        settings=SETTINGS,
        engine=engine,
        client_factory=lambda: WebClient(token="xoxb-test", base_url=slack_api.api_url),
    )


def _nudges(slack_api) -> list:
    return [c for c in slack_api.called("chat.postMessage") if c.body["channel"] == TRAINING]


def test_several_schedulers_firing_the_same_run_post_once(engine, slack_api):
    engines = [db.make_engine(engine.url, schema=_schema(engine)) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    outcomes: list[Outcome] = []

    def instance(own_engine) -> None:
        barrier.wait()
        outcomes.append(run_job(_ctx(own_engine, slack_api), "training_nudge", NINE))

    threads = [threading.Thread(target=instance, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for own in engines:
        own.dispose()

    assert sorted(o.value for o in outcomes) == ["done", "taken", "taken", "taken"]
    assert len(_nudges(slack_api)) == 1
    assert get_run(engine, "training_nudge", NINE).status == "done"


def _schema(engine) -> str | None:
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        return connection.exec_driver_sql("SHOW search_path").scalar()


def test_a_restart_inside_the_grace_period_posts_once(engine, slack_api):
    ctx = _ctx(engine, slack_api)

    start_up(ctx, NINE + dt.timedelta(minutes=40))  # down at 09:00, back at 09:40
    start_up(ctx, NINE + dt.timedelta(minutes=50))  # and restarted again

    [post] = _nudges(slack_api)
    assert "Training day" in str(post.body["blocks"])


def test_a_restart_after_the_grace_period_posts_nothing_and_logs_it(engine, slack_api, caplog):
    ctx = _ctx(engine, slack_api)
    run_due(ctx, NINE - dt.timedelta(days=3), ["training_nudge"])  # it ran last week
    caplog.clear()

    start_up(ctx, NINE + dt.timedelta(minutes=61))

    assert len(_nudges(slack_api)) == 1  # last week's, nothing today
    assert "training_nudge for 2026-03-02T09:00:00+00:00 was missed" in caplog.text


def test_a_first_start_on_a_new_database_reports_nothing_missed(engine, slack_api, caplog):
    """Runs from before Deskmate existed were never missed: a first start is quiet."""
    caplog.set_level(logging.INFO)

    sent = start_up(_ctx(engine, slack_api), NINE + dt.timedelta(minutes=61))

    assert sent == [] and _nudges(slack_api) == []
    assert "was missed" not in caplog.text
    assert "first start on this database" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_failed_post_is_retried_within_grace_and_recorded(engine, slack_api):
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "channel_not_found"}, once=True)
    ctx = _ctx(engine, slack_api)

    [first] = run_due(ctx, NINE, ["training_nudge"])
    failed = get_run(engine, "training_nudge", NINE)
    [second] = run_due(ctx, NINE + dt.timedelta(minutes=5), ["training_nudge"])
    [third] = run_due(ctx, NINE + dt.timedelta(minutes=10), ["training_nudge"])

    assert (first.outcome, second.outcome, third.outcome) == (
        Outcome.FAILED,
        Outcome.DONE,
        Outcome.TAKEN,
    )
    assert failed.status == "failed" and "channel_not_found" in failed.error
    run = get_run(engine, "training_nudge", NINE)
    assert (run.status, run.attempts, run.error) == ("done", 2, None)
    assert len(_nudges(slack_api)) == 2  # the failure, then the one that worked


def test_a_failed_post_is_not_retried_after_the_grace_period(engine, slack_api):
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "channel_not_found"}, once=True)
    ctx = _ctx(engine, slack_api)
    run_due(ctx, NINE, ["training_nudge"])

    assert run_due(ctx, NINE + dt.timedelta(minutes=61), ["training_nudge"]) == []
    assert get_run(engine, "training_nudge", NINE).status == "failed"


@pytest.mark.parametrize("day", [dt.date(2026, 3, 7), dt.date(2026, 12, 28)])
def test_nothing_is_due_on_a_weekend_or_bank_holiday(engine, slack_api, day):
    nine = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)

    assert run_due(_ctx(engine, slack_api), nine + dt.timedelta(minutes=5)) == []
    assert slack_api.called("chat.postMessage") == []


def test_a_run_with_nowhere_to_post_is_skipped_and_the_sweep_leaves_it(engine, slack_api, caplog):
    ctx = JobContext(
        settings=Settings(),  # no channels at all
        engine=engine,
        client_factory=lambda: WebClient(token="xoxb-test", base_url=slack_api.api_url),
    )

    assert run_job(ctx, "kudos_digest", NINE) is Outcome.SKIPPED
    run = get_run(engine, "kudos_digest", NINE)
    assert (run.status, run.error) == ("skipped", "channels.kudos is not set in app.yaml")
    assert "channels.kudos is not set in app.yaml; nothing posted" in caplog.text

    # The sweep (and a restart) leave it: one warning per scheduled time, not one a sweep.
    caplog.clear()
    assert run_job(ctx, "kudos_digest", NINE) is Outcome.TAKEN
    assert "nothing posted" not in caplog.text
    assert slack_api.called("chat.postMessage") == []


def _left_claimed(engine, minutes_ago: int, *, posted: bool = False) -> None:
    """The rows an instance leaves when it is killed part-way through the 09:00 nudge."""
    with Session(engine) as session:
        session.add(
            JobRun(
                job="training_nudge",
                scheduled_for=NINE,
                status="claimed",
                claimed_at=utcnow() - dt.timedelta(minutes=minutes_ago),
            )
        )
        if posted:
            session.add(JobDelivery(job="training_nudge", scheduled_for=NINE, target=TRAINING))
        session.commit()


@pytest.mark.parametrize(("posted", "sent"), [(False, 1), (True, 0)])
def test_a_run_stopped_part_way_is_finished_by_the_next_sweep_each_post_once(
    engine, slack_api, posted, sent
):
    _left_claimed(engine, CLAIM_MINUTES + 5, posted=posted)
    ctx = _ctx(engine, slack_api)

    [finished] = run_due(ctx, NINE + dt.timedelta(minutes=30), ["training_nudge"])
    [again] = run_due(ctx, NINE + dt.timedelta(minutes=35), ["training_nudge"])

    assert (finished.outcome, again.outcome) == (Outcome.DONE, Outcome.TAKEN)
    assert len(_nudges(slack_api)) == sent  # what it had posted is not posted again
    run = get_run(engine, "training_nudge", NINE)
    assert (run.status, run.attempts) == ("done", 2)


def test_a_claim_still_in_progress_is_left_to_its_instance(engine, slack_api):
    _left_claimed(engine, CLAIM_MINUTES - 5)

    [ran] = run_due(_ctx(engine, slack_api), NINE + dt.timedelta(minutes=30), ["training_nudge"])

    assert ran.outcome is Outcome.TAKEN
    assert _nudges(slack_api) == []
    assert get_run(engine, "training_nudge", NINE).status == "claimed"
