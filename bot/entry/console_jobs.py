"""Scheduled posts in the console: `run JOB` sends a job's posts now, through the same job
code the scheduler runs, to the console's stand-in Slack, so a trainer or an admin sees the
daily nudge, the kudos digest or the monthly figures without waiting for the clock (each run
is a new one, at the current second, so it can be run again)."""

from __future__ import annotations

from slack_bolt import App

from bot.entry.app import deskmate_of
from bot.slack.client import CONSOLE_TOKEN, make_client
from bot.store.models import utcnow
from scheduler.delivery import JobContext
from scheduler.runs import Outcome, get_run
from scheduler.service import UnknownJob, job_ids, run_job


def run_now(app: App, api_url: str, job: str) -> str:
    """Run `job` now; what to tell the person about it."""
    deskmate = deskmate_of(app)
    if deskmate is None:
        return "The console has no app to run jobs for."
    ctx = JobContext(
        settings=deskmate.settings,
        engine=deskmate.engine,
        client_factory=lambda: make_client(CONSOLE_TOKEN, base_url=api_url),
    )
    moment = utcnow().replace(microsecond=0)
    try:
        outcome = run_job(ctx, job, moment, retry_skipped=True)
    except UnknownJob:
        return f"There is no job called {job!r}. Try one of: {', '.join(job_ids())}."
    if outcome is Outcome.DONE:
        return f"({job} ran; its posts are above)"
    record = get_run(deskmate.engine, job, moment)
    why = (record.error if record is not None else None) or "nothing to say"
    if outcome is Outcome.SKIPPED:
        return f"({job} was skipped: {why})"
    return f"({job} failed: {why})"
