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
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, SQLModel, select

from bot.config.settings import Settings
from bot.redact import redact, without_personal_details
from bot.store import db, models
from bot.store.search_log import SearchEntry, search_entry, store_searches
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
    log_search: Callable[[SearchEntry], None] | None = None,
) -> Answer:
    """Search for what the caller asked and log it (redacted): a miss is a knowledge gap.

    The answer matters more than the log while a caller waits, so a database that cannot
    take the log entry is reported in the logs and the answer is still given. `log_search`
    (HTTP mode: bot.store.search_log.SearchLogWriter) takes the entry instead of storing it here."""
    # PostgreSQL cannot store a NUL in text, and nobody means one: read it as a space.
    text = " ".join(text.replace("\x00", " ").split())
    query = text[:MAX_QUERY_CHARS]
    started = time.perf_counter()
    searched = without_personal_details(query)
    # One search serves both: the confident hits, or else the nearest titles to offer.
    ranking = index.rank(searched, max(limit, CLOSEST))
    hits = ranking.answers[:limit]
    closest = [] if hits else ranking.hits[:CLOSEST]
    latency_ms = (time.perf_counter() - started) * 1000
    entry = search_entry(
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
        store_searches(engine, entries=[entry])
    except SQLAlchemyError as exc:
        log.warning("search not logged, the database is unavailable: %s", type(exc).__name__)
    return Answer(query=query, hits=hits, closest=closest, truncated=len(text) > len(query))


def record_feedback(
    engine: Engine,
    *,
    article_id: str,
    user_id: str,
    helpful: bool,
    reason: str | None = None,
    card: str | None = None,
) -> models.Feedback:
    """Store a person's opinion of an article. With `card` (the answer card it was given
    on) it is one opinion per person, article and card: pressing again, a double click or
    the same press reaching two instances changes the stored opinion instead of adding
    one, so the figures count people, not clicks."""
    opinion = {"article_id": article_id, "user_id": user_id, "card": card}
    reason = _clean(reason)
    try:
        return _save_opinion(engine, opinion, helpful=helpful, reason=reason)
    except IntegrityError:
        # The same press was stored a moment ago by another thread or instance: this time
        # it is found, and updated.
        return _save_opinion(engine, opinion, helpful=helpful, reason=reason)


def _save_opinion(
    engine: Engine, opinion: dict, *, helpful: bool, reason: str | None
) -> models.Feedback:
    with db.session(engine) as session:
        row = None
        if opinion["card"] is not None:
            matches = [getattr(models.Feedback, key) == value for key, value in opinion.items()]
            row = session.exec(select(models.Feedback).where(*matches)).first()
        if row is None:
            row = models.Feedback(**opinion, helpful=helpful, reason=reason)
            session.add(row)
        else:  # a change of mind keeps a reason already given for "not helpful"
            row.reason = None if helpful else reason or row.reason
            row.helpful = helpful
            row.created_at = models.utcnow()
        session.flush()
        session.refresh(row)
        session.expunge(row)
    return row


def record_suggestion(
    engine: Engine, *, article_id: str, user_id: str, text: str, view_id: str | None = None
) -> models.EditSuggestion | None:
    """Store a suggested edit; None, storing nothing, when the form `view_id` was stored
    already (sent twice)."""
    text = _clean(text)
    if not text:
        raise ValueError("a suggestion needs some text")
    row = models.EditSuggestion(article_id=article_id, user_id=user_id, text=text, view_id=view_id)
    try:
        return _store(engine, row)
    except IntegrityError:
        if view_id is None:
            raise
        return None


def _clean(text: str | None) -> str | None:
    """Typed text as stored: trimmed, at most MAX_FEEDBACK_CHARS, no NUL (PostgreSQL
    refuses it in text, and nobody means one); None when nothing is left."""
    text = (text or "").replace("\x00", " ").strip()
    return text[:MAX_FEEDBACK_CHARS] or None


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


def purge_expired_search_logs(
    engine: Engine, settings: Settings, *, now: dt.datetime | None = None
) -> int:
    """Delete search logs older than the retention; returns how many went."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=settings.logs.retention_days)
    return purge_search_logs(engine, older_than=cutoff)


RECENT = 10


def recent_searches(engine, *, user_id: str, limit: int = RECENT) -> list[models.SearchLog]:
    with Session(engine) as session:
        statement = (
            select(models.SearchLog)
            .where(models.SearchLog.user_id == user_id)
            .order_by(models.SearchLog.created_at.desc(), models.SearchLog.id.desc())
            .limit(limit)
        )
        return list(session.exec(statement).all())
