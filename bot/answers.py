"""`/answer` in the core: search, log the search without caller details, record feedback.

Nothing here knows about Slack; the handlers render what these functions return.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from bot import db, models
from bot.redact import redact, without_personal_details
from knowledge.search import Hit, SearchIndex

MAX_QUERY_CHARS = 500
MAX_FEEDBACK_CHARS = 3_000
CLOSEST = 3

log = logging.getLogger(__name__)
Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class Answer:
    query: str  # what was searched: the text, cut to MAX_QUERY_CHARS
    hits: list[Hit]  # confident matches, best first
    closest: list[Hit] = field(default_factory=list)  # when none is confident
    truncated: bool = False  # the text was longer than MAX_QUERY_CHARS

    @property
    def found(self) -> bool:
        return bool(self.hits)


def find_answer(
    index: SearchIndex,
    engine: Engine,
    *,
    text: str,
    user_id: str,
    limit: int = 5,
    log_search: Callable[[models.SearchLog], None] | None = None,
) -> Answer:
    """Search for what the caller asked and log it (redacted): a miss is a knowledge gap.

    The answer matters more than the log while a caller waits, so a database that cannot
    take the log entry is reported in the logs and the answer is still given. `log_search`
    (HTTP mode: bot.search_log.SearchLogWriter) takes the entry instead of storing it here."""
    text = " ".join(text.split())
    query = text[:MAX_QUERY_CHARS]
    started = time.perf_counter()
    searched = without_personal_details(query)
    # One search serves both: the confident hits, or else the nearest titles to offer.
    ranked = index.closest(searched, max(limit, CLOSEST))
    hits = [hit for hit in ranked[:limit] if hit.score >= index.threshold]
    closest = [] if hits else ranked[:CLOSEST]
    latency_ms = (time.perf_counter() - started) * 1000
    entry = models.SearchLog(
        user_id=user_id,
        query=redact(query),
        result_ids=[hit.article.id for hit in hits],
        top_score=hits[0].score if hits else None,
        answered=bool(hits),
        latency_ms=round(latency_ms, 3),
    )
    if log_search is not None:
        log_search(entry)
        return Answer(query=query, hits=hits, closest=closest, truncated=len(text) > len(query))
    try:
        with db.session(engine) as session:
            session.add(entry)
    except SQLAlchemyError as exc:
        log.warning("search not logged, the database is unavailable: %s", type(exc).__name__)
    return Answer(query=query, hits=hits, closest=closest, truncated=len(text) > len(query))


def record_feedback(
    engine: Engine, *, article_id: str, user_id: str, helpful: bool, reason: str | None = None
) -> models.Feedback:
    reason = (reason or "").strip()[:MAX_FEEDBACK_CHARS] or None
    row = models.Feedback(article_id=article_id, user_id=user_id, helpful=helpful, reason=reason)
    return _store(engine, row)


def record_suggestion(
    engine: Engine, *, article_id: str, user_id: str, text: str
) -> models.EditSuggestion:
    text = text.strip()
    if not text:
        raise ValueError("a suggestion needs some text")
    row = models.EditSuggestion(
        article_id=article_id, user_id=user_id, text=text[:MAX_FEEDBACK_CHARS]
    )
    return _store(engine, row)


def _store(engine: Engine, row: Row) -> Row:
    """Insert one row and hand it back usable after its session has closed (with its id)."""
    with db.session(engine) as session:
        session.add(row)
        session.flush()
        session.refresh(row)
        session.expunge(row)
    return row


def purge_search_logs(engine: Engine, *, older_than: dt.datetime) -> int:
    """Delete search logs created before `older_than`; returns how many went."""
    with db.session(engine) as session:
        result = session.exec(
            delete(models.SearchLog).where(models.SearchLog.created_at < older_than)
        )
        return result.rowcount or 0
