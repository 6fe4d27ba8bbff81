"""Counters and a latency histogram for operations, in Prometheus' terms.

In Socket Mode and the console everything runs in one process, and the counters are plain
in-memory ones (nothing serves them: there is no HTTP server). In HTTP mode gunicorn runs
several worker processes; `across_processes()` (entered by gunicorn's master before it
forks) gives them a shared folder where prometheus_client's multiprocess mode keeps each
process's figures, so `/metrics` from any worker adds up the whole instance.

prometheus_client chooses between the two when it is first imported, from the
`PROMETHEUS_MULTIPROC_DIR` environment variable, so it is imported here only when the
first figure is counted, never when this module is.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
# From well under a millisecond (a cached search) to a few seconds (a database that stalls).
ANSWER_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)

AnswerOutcome = Literal["answered", "no_match", "empty", "error"]
RunOutcome = Literal["done", "failed", "skipped"]
ErrorKind = Literal["listener", "answer", "scheduled_run"]


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry()
        registry = self.registry
        self.answers = Counter(
            "deskmate_answers",
            "/answer requests by outcome: answered, no_match (no confident article), empty "
            "(no text), error (the search failed)",
            ["outcome"],
            registry=registry,
        )
        self.answer_seconds = Histogram(
            "deskmate_answer_seconds",
            "Time to answer /answer (search and rendering, before the acknowledgement)",
            buckets=ANSWER_BUCKETS,
            registry=registry,
        )
        self.slack_calls = Counter(
            "deskmate_slack_api_calls",
            "Slack Web API calls by method and outcome (ok, error), after retries",
            ["method", "outcome"],
            registry=registry,
        )
        self.kudos_posted = Counter(
            "deskmate_kudos_posted", "Kudos posted in the kudos channel", registry=registry
        )
        self.scheduled_runs = Counter(
            "deskmate_scheduled_runs",
            "Scheduled job runs (each one job's posts for one scheduled time) by outcome",
            ["job", "outcome"],
            registry=registry,
        )
        self.errors = Counter(
            "deskmate_errors",
            "Errors by kind: listener (unhandled in a Slack listener), answer (a search that "
            "failed), scheduled_run (a job run that failed)",
            ["kind"],
            registry=registry,
        )


_lock = threading.Lock()
_metrics: _Metrics | None = None
_shared_by: int | None = None  # the pid of the process that made the shared folder


def _get() -> _Metrics:
    global _metrics
    if _metrics is None:
        with _lock:
            if _metrics is None:
                _metrics = _Metrics()
    return _metrics


# -- counting ---------------------------------------------------------------------------------


def answer(outcome: AnswerOutcome, seconds: float | None = None) -> None:
    """One /answer, and how long it took (not timed when there was nothing to search)."""
    metrics = _get()
    metrics.answers.labels(outcome).inc()
    if seconds is not None:
        metrics.answer_seconds.observe(seconds)
    if outcome == "error":
        metrics.errors.labels("answer").inc()


def slack_call(method: str, *, ok: bool) -> None:
    _get().slack_calls.labels(method, "ok" if ok else "error").inc()


def kudos_posted() -> None:
    _get().kudos_posted.inc()


def scheduled_run(job: str, outcome: RunOutcome) -> None:
    metrics = _get()
    metrics.scheduled_runs.labels(job, outcome).inc()
    if outcome == "failed":
        metrics.errors.labels("scheduled_run").inc()


def error(kind: ErrorKind) -> None:
    _get().errors.labels(kind).inc()


# -- reading ----------------------------------------------------------------------------------


def registry() -> CollectorRegistry:
    """The figures of the whole instance: every process's in multiprocess mode."""
    metrics = _get()
    if not os.environ.get(MULTIPROC_DIR):
        return metrics.registry
    from prometheus_client import CollectorRegistry, multiprocess

    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)
    return combined


def exposition() -> tuple[bytes, str]:
    """(body, content type) for `/metrics`, in Prometheus' text format 0.0.4."""
    from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest

    return generate_latest(registry()), CONTENT_TYPE_PLAIN_0_0_4


# -- several processes ------------------------------------------------------------------------


@contextmanager
def across_processes() -> Iterator[str]:
    """A new folder for the figures of this process and every process it forks, named in
    PROMETHEUS_MULTIPROC_DIR; removed on leaving. Enter it before anything is counted."""
    global _shared_by
    if "prometheus_client" in sys.modules or _metrics is not None:
        raise RuntimeError(
            "metrics were set up before the worker processes' shared folder; "
            "across_processes() must come first"
        )
    folder = tempfile.mkdtemp(prefix="deskmate-metrics-")
    os.environ[MULTIPROC_DIR] = folder
    _shared_by = os.getpid()
    try:
        yield folder
    finally:
        # Forked workers leave through here too (gunicorn exits them by SystemExit): only
        # the process that made the folder takes it away.
        if os.getpid() == _shared_by:
            os.environ.pop(MULTIPROC_DIR, None)
            shutil.rmtree(folder, ignore_errors=True)


def process_exited(pid: int) -> None:
    """Tell the shared folder a worker has gone (gunicorn's child_exit)."""
    if os.environ.get(MULTIPROC_DIR):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
