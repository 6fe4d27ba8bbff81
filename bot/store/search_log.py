"""Search logs written from a background thread, many to a transaction.

Under load in HTTP mode, one INSERT and COMMIT per `/answer` is most of the cost of
answering, and with SQLite the workers queue for its single write lock (its busy handler
sleeps, which is where the slowest answers came from). Here each worker hands the log entry
to a queue and answers at once; a thread stores what has gathered every `max_delay`
seconds in one transaction. A hard crash can lose the last fraction of a second of
searches; a normal stop (SIGTERM, Ctrl-C) stores them first.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.store import models

log = logging.getLogger(__name__)

_STOP = object()

# One search_log row as plain values: every /answer makes one, and a plain dict costs a
# fraction of a SQLModel object (validation, instrumentation) to make and to store.
SearchEntry = dict[str, Any]


def search_entry(
    *,
    user_id: str,
    query: str,
    result_ids: list[str],
    top_score: float | None,
    answered: bool,
    latency_ms: float,
) -> SearchEntry:
    return {
        "user_id": user_id,
        "query": query,
        "result_ids": result_ids,
        "top_score": top_score,
        "answered": answered,
        "latency_ms": latency_ms,
        "created_at": models.utcnow(),
    }


def store_searches(engine: Engine, *, entries: list[SearchEntry]) -> None:
    """All of them in one INSERT, in one transaction: the table's own insert on a
    connection, without the session's unit of work, which costs more than the insert."""
    if entries:
        with engine.begin() as connection:
            connection.execute(insert(models.SearchLog.__table__), entries)


class SearchLogWriter:
    """`writer(entry)` queues a search entry; `close()` stores the rest and stops."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_delay: float = 0.05,
        max_batch: int = 500,
        max_pending: int = 10_000,
    ) -> None:
        self._engine = engine
        self._max_delay = max_delay
        self._max_batch = max_batch
        self._max_pending = max_pending
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._unsaved: list[SearchEntry] = []  # a batch the database refused, kept
        self._closed = False
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="search-log-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def __call__(self, entry: SearchEntry) -> None:
        if self._closed:  # after close nobody drains the queue; store it now instead
            self._store([entry])
            return
        self._queue.put(entry)

    def close(self, timeout: float = 10.0) -> None:
        if self._closed:
            return
        self._closed = True
        self._stopping.set()  # cuts short the gathering wait
        self._queue.put(_STOP)
        self._thread.join(timeout)
        atexit.unregister(self.close)

    def _run(self) -> None:
        stopping = full = False
        while not stopping:
            first = self._queue.get()  # the one wake-up of a batch
            batch: list[SearchEntry] = []
            if first is _STOP:
                stopping = True
            else:
                batch.append(first)
                if not full:
                    # Let the batch gather while asleep, not woken by every answer's entry:
                    # a wake-up an entry costs a worker's threads more than the insert.
                    self._stopping.wait(self._max_delay)
                while len(batch) < self._max_batch:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is _STOP:
                        stopping = True
                        break
                    batch.append(item)
            full = len(batch) >= self._max_batch  # more waiting: no pause before the next
            if batch or self._unsaved:
                self._store(batch)

    def _store(self, batch: list[SearchEntry]) -> None:
        pending = self._unsaved + batch
        try:
            store_searches(self._engine, entries=pending)
        except SQLAlchemyError as exc:
            # Kept for the next batch, within bounds: the answers never wait for this.
            dropped = max(0, len(pending) - self._max_pending)
            self._unsaved = pending[dropped:]
            log.warning(
                "%d search logs not stored yet, the database is unavailable: %s%s",
                len(self._unsaved),
                type(exc).__name__,
                f"; {dropped} oldest dropped" if dropped else "",
            )
        else:
            self._unsaved = []
