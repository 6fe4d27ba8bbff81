"""`deskmate jobs ...` and `deskmate scheduler`: the scheduled jobs from the command line.

`jobs fire` goes through the same claim as the scheduler: a second fire for the same job and
time posts nothing, says so, and exits 0 (nothing is wrong: the run has happened). A run that
fails exits 1 and is recorded, to be retried within its grace period.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

from bot.entry.cli.args import command_group

if TYPE_CHECKING:
    from bot.config.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    jobs_commands = command_group(commands, "jobs", help="the scheduled posts and housekeeping")
    listing = jobs_commands.add_parser(
        "list", help="each job and its next run (in app.yaml's time zone)"
    )
    listing.add_argument("--json", action="store_true", help="one JSON object per job")
    fire = jobs_commands.add_parser(
        "fire",
        help="run one job for a scheduled time now (once: a second fire posts nothing)",
        description="Run JOB for the scheduled time AT now, through the same exactly-once "
        "claim as the scheduler. AT is an ISO time such as 2026-03-02T09:00; without a "
        "UTC offset it is taken in app.yaml's time zone.",
    )
    fire.add_argument("job", metavar="JOB", help="a job's id, as `deskmate jobs list` shows")
    fire.add_argument("--at", required=True, metavar="ISO-TIME", help="the scheduled time")
    listing.set_defaults(handler=list_jobs, needs_settings=True)
    fire.set_defaults(handler=fire_job, needs_settings=True)
    scheduler = commands.add_parser(
        "scheduler",
        help="run only the scheduler (any number of copies post each run once)",
    )
    scheduler.set_defaults(handler=run_scheduler, long_running=True)


def _time(text: str, settings: Settings) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"expected an ISO time such as 2026-03-02T09:00 or 2026-03-02T09:00+00:00, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=settings.tz)
    return moment


def list_jobs(args: argparse.Namespace, settings: Settings, now: dt.datetime | None = None) -> int:
    from bot.store import kb
    from bot.store.models import utcnow
    from scheduler import clock
    from scheduler.runs import is_stuck, last_run
    from scheduler.service import job_ids

    now = now or utcnow()
    engine = kb.open_database(settings)
    for job in job_ids():
        config = settings.jobs.get(job)
        upcoming = clock.next_run(settings, job, now)
        shown = upcoming.astimezone(settings.tz).isoformat() if upcoming else None
        previous = last_run(engine, job)
        if args.json:
            row = {
                "id": job,
                "next_run": shown,
                "cron": config.cron,
                "enabled": config.enabled,
                "working_days_only": config.working_days_only,
                "grace_minutes": config.grace_minutes,
                "last_run": None,
            }
            if previous is not None:
                row["last_run"] = {
                    "scheduled_for": clock.to_utc(previous.scheduled_for)
                    .astimezone(settings.tz)
                    .isoformat(),
                    "status": previous.status,
                    "attempts": previous.attempts,
                    "stuck": is_stuck(previous, now),
                }
            print(json.dumps(row))
        else:
            when = shown or "off"
            extra = f"  last: {_status(previous, settings, now)}" if previous is not None else ""
            print(f"{job:<18} {when:<27} {config.cron}{extra}")
    return 0


def fire_job(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import kb
    from scheduler.delivery import JobContext
    from scheduler.runs import CLAIM_MINUTES, Outcome, get_run
    from scheduler.service import job_ids, run_job

    if args.job not in job_ids():
        print(
            f"deskmate: no job called {args.job!r} (expected one of: {', '.join(job_ids())})",
            file=sys.stderr,
        )
        return 2
    try:
        moment = _time(args.at, settings)
    except ValueError as exc:
        print(f"deskmate: {exc}", file=sys.stderr)
        return 2
    engine = kb.open_database(settings)
    ctx = JobContext(settings=settings, engine=engine)
    shown = moment.astimezone(settings.tz).isoformat()
    # Fired by hand: a run skipped for want of a channel is tried again (it may be set now).
    outcome = run_job(ctx, args.job, moment, retry_skipped=True)
    if outcome is Outcome.DONE:
        print(f"{args.job} for {shown}: done")
        return 0
    record = get_run(engine, args.job, moment)
    if outcome is Outcome.SKIPPED:
        reason = record.error if record is not None else "not configured"
        print(f"{args.job} for {shown}: skipped ({reason}); nothing posted", file=sys.stderr)
        return 1
    if outcome is Outcome.FAILED:
        error = record.error if record is not None else "unknown error"
        print(f"{args.job} for {shown}: failed ({error}); recorded", file=sys.stderr)
        return 1
    if record is not None and record.status == "claimed":
        # Another instance is running it, or one was stopped part-way: either way not done.
        print(
            f"{args.job} for {shown}: already claimed at {_local(record.claimed_at, settings)} "
            f"and not finished; nothing posted (a claim left by a stopped run can be fired "
            f"again {CLAIM_MINUTES} minutes after it was made)",
            file=sys.stderr,
        )
        return 1
    status = record.status if record is not None else "claimed"
    print(f"{args.job} for {shown}: already {status}; nothing posted")
    return 0


def _local(moment: dt.datetime, settings: Settings) -> str:
    from scheduler.clock import to_utc

    return to_utc(moment).astimezone(settings.tz).strftime("%H:%M")


def _status(run, settings: Settings, now: dt.datetime) -> str:
    from scheduler.runs import is_stuck

    if is_stuck(run, now):
        return f"stuck (claimed at {_local(run.claimed_at, settings)}, never finished)"
    return run.status


def run_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store import kb
    from scheduler.service import build_scheduler

    kb.open_database(settings).dispose()  # a database problem stops us here, not in a job
    scheduler = build_scheduler(settings, blocking=True)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()  # blocks until interrupted
    return 0
