"""Exactly once: a job's run for a scheduled time is claimed in the database before anything
is posted, by inserting its `JobRun` row. The unique key (job, scheduled time in UTC) means a
second instance, a restart or a manual fire for the same time finds the row taken and posts
nothing. A run that failed is retried by claiming the row again (failed -> claimed) with one
conditional UPDATE, so two retriers cannot both win it either.

A run that could not post because app.yaml does not say where (no channel) is "skipped":
the sweep leaves it, and `deskmate jobs fire` runs it again once the channel is set.

A run whose instance was killed part-way stays "claimed" until its claim is CLAIM_MINUTES
old; then the next sweep (within the grace period) or `deskmate jobs fire` claims it again
and finishes it. Nothing is doubled: each post's delivery row is stored before it is sent,
so the posts already made (or being made when it died) are not sent again. `deskmate jobs
list` shows such a run as stuck until then. Each post also carries a key of its own (job,
time, target), so when Slack does not answer one, bot.slack.posting looks for it in the channel
before posting again; only when it cannot look is the post left unsent-or-sent, its
delivery row kept, and the run recorded as failed.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot import metrics
from bot.slack.posting import maybe_posted
from bot.store import db
from bot.store.models import JobDelivery, JobRun, utcnow
from scheduler.clock import to_utc

# A run takes minutes at most (a month's figures: a post a CSR, paced by Slack); a claim
# older than this was left by an instance that stopped part-way.
CLAIM_MINUTES = 15
MAX_ATTEMPTS = 5
ERROR_CHARS = 2_000

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    DONE = "done"  # this call ran the job
    FAILED = "failed"  # this call ran it and it failed (recorded; retried within grace)
    SKIPPED = "skipped"  # app.yaml does not say where to post: nothing posted (recorded)
    TAKEN = "taken"  # someone else has it, or it is done: nothing posted


class NotConfigured(Exception):
    """The job has nowhere to post: the message says which setting to add."""


def claim(
    engine: Engine,
    job: str,
    scheduled_for: dt.datetime,
    *,
    retry: bool = True,
    retry_skipped: bool = False,
) -> bool:
    """Claim the run; True means this caller must run it now, and nobody else will. A
    failed run is claimed again when `retry`; a skipped one only when `retry_skipped` (a
    person firing it by hand, once the setting is there)."""
    when = to_utc(scheduled_for)
    try:
        with Session(engine) as session:
            session.add(JobRun(job=job, scheduled_for=when, status="claimed"))
            session.commit()
        return True
    except IntegrityError:
        pass
    if not retry:
        return False
    again = or_(
        and_(JobRun.status == "failed", JobRun.attempts < MAX_ATTEMPTS),
        # A claim nobody finished: its instance was killed part-way. Each post it made has
        # its delivery row, so running it again sends only the rest.
        and_(JobRun.status == "claimed", JobRun.claimed_at < stale_before()),
    )
    if retry_skipped:
        again = or_(again, JobRun.status == "skipped")
    with engine.begin() as connection:
        result = connection.execute(
            update(JobRun)
            .where(JobRun.job == job, JobRun.scheduled_for == when, again)
            .values(status="claimed", attempts=JobRun.attempts + 1, claimed_at=utcnow())
        )
    return result.rowcount == 1


def _finish(
    engine: Engine, job: str, when: dt.datetime, *, error: str | None, status: str | None = None
) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(JobRun)
            .where(JobRun.job == job, JobRun.scheduled_for == when)
            .values(
                status=status or ("failed" if error else "done"),
                error=error[:ERROR_CHARS] if error else None,
                finished_at=utcnow(),
            )
        )


def run_once(
    engine: Engine,
    job: str,
    scheduled_for: dt.datetime,
    action: Callable[[], object],
    *,
    retry: bool = True,
    retry_skipped: bool = False,
) -> Outcome:
    """Run `action` for (job, scheduled_for) if this caller wins the claim."""
    when = to_utc(scheduled_for)
    if not claim(engine, job, when, retry=retry, retry_skipped=retry_skipped):
        return Outcome.TAKEN
    try:
        action()
    except NotConfigured as exc:
        log.warning("%s for %s: %s; nothing posted", job, when, exc)
        _finish(engine, job, when, error=str(exc), status="skipped")
        metrics.scheduled_run(job, "skipped")
        return Outcome.SKIPPED
    except Exception as exc:
        log.exception("%s for %s failed; it will be retried within its grace period", job, when)
        _finish(engine, job, when, error=f"{type(exc).__name__}: {exc}")
        metrics.scheduled_run(job, "failed")
        return Outcome.FAILED
    _finish(engine, job, when, error=None)
    metrics.scheduled_run(job, "done")
    return Outcome.DONE


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    """Claims made before this were never finished: the run was killed part-way."""
    return (now or utcnow()) - dt.timedelta(minutes=CLAIM_MINUTES)


def is_stuck(run: JobRun, now: dt.datetime | None = None) -> bool:
    return run.status == "claimed" and to_utc(run.claimed_at) < stale_before(now)


def get_run(engine: Engine, job: str, scheduled_for: dt.datetime) -> JobRun | None:
    with Session(engine) as session:
        return session.exec(
            select(JobRun).where(JobRun.job == job, JobRun.scheduled_for == to_utc(scheduled_for))
        ).first()


def ever_ran(engine: Engine) -> bool:
    """Whether any job has been claimed in this database: false on its first start."""
    with Session(engine) as session:
        return session.exec(select(JobRun.id).limit(1)).first() is not None


def last_run(engine: Engine, job: str) -> JobRun | None:
    with Session(engine) as session:
        return session.exec(
            select(JobRun).where(JobRun.job == job).order_by(JobRun.scheduled_for.desc())
        ).first()


def previous_done(engine: Engine, job: str, before: dt.datetime) -> JobRun | None:
    """The job's latest run before `before` that finished."""
    with Session(engine) as session:
        return session.exec(
            select(JobRun)
            .where(
                JobRun.job == job,
                JobRun.status == "done",
                JobRun.scheduled_for < to_utc(before),
            )
            .order_by(JobRun.scheduled_for.desc())
        ).first()


def deliver_once(
    engine: Engine, job: str, scheduled_for: dt.datetime, target: str, send: Callable[[], object]
) -> bool:
    """One of a run's posts, sent at most once: its row is stored before `send`, and taken
    away again if `send` raises (which re-raises), so a retry of the run sends it. False
    when it had been sent already.

    A post that may have gone out (Slack did not answer, and bot.slack.posting could not look)
    keeps its row, like a run that crashed mid-post: the retry does not send it again."""
    row = JobDelivery(job=job, scheduled_for=to_utc(scheduled_for), target=target)
    return db.send_once(engine, row, send, keep_if=maybe_posted)
