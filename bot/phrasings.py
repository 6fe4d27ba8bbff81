"""Learned phrasings (core, no Slack): the questions, as CSRs typed them, found to mean an
article. A CSR teaches one by choosing an article that search did not put first (Helpful or
Share on it, from Other matches or the closest titles); a supervisor by linking a knowledge
gap to the article that answers it. Owners remove a wrong one from their review reminder.

A phrasing is stored without callers' details (the patterns the search log redacts, and the
labels a stored search carries), on one line, and only when it adds something: not empty,
not a word or two of filler, not what the article already says in its title, keywords or
phrasings. Each change bumps the knowledge version, so every instance rebuilds its index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.redact import without_labels, without_personal_details
from bot.store import db, models
from knowledge.article import MAX_PHRASING_CHARS
from knowledge.text import STOP_WORDS, words

MAX_PHRASINGS = 50  # per article; the oldest goes to make room
MIN_CHARS = 4  # letters and digits in the words that are not filler ("spd" alone is too few)

_STRANDED = re.compile(r"\s+([,.;:!?])")

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    LEARNED = "learned"
    REMOVED = "removed"
    KNOWN = "known"  # the article's title, a keyword or a phrasing says it already
    EMPTY = "empty"  # nothing left once callers' details are taken out
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NO_ARTICLE = "no_article"  # not (or no longer) in the knowledge base
    NO_SEARCH = "no_search"  # a gap's search log has been purged since the report
    NOT_FOUND = "not_found"  # the phrasing to remove is not there (removed already)


@dataclass(frozen=True)
class Change:
    """What learning or removing did, for the caller to report."""

    outcome: Outcome
    phrasing: str = ""  # as stored (or as it would have been), without callers' details
    title: str | None = None  # the article's, when there is one
    dropped: str | None = None  # learning: the oldest phrasing let go to stay within the cap
    remaining: tuple[str, ...] = ()  # removing: the article's phrasings now, oldest first

    @property
    def changed(self) -> bool:
        return self.outcome in (Outcome.LEARNED, Outcome.REMOVED)


def clean(query: str) -> str:
    """A query as a phrasing: callers' details out, one line, no space left stranded before
    a comma where a detail was."""
    text = without_labels(without_personal_details(query.replace("\x00", " ")))
    return _STRANDED.sub(r"\1", text)


def phrasing_key(phrasing: str) -> str:
    """A short stand-in for a phrasing where the phrasing itself may not fit (a Slack
    option's value holds 150 characters)."""
    return hashlib.sha256(phrasing.encode("utf-8")).hexdigest()[:16]


def _same(text: str) -> str:
    """What two phrasings must share to be the same question: their words, in order,
    whatever the case, accents and punctuation ("CTR apply?" is "ctr apply")."""
    return " ".join(words(text))


def _unfit(phrasing: str) -> Outcome | None:
    if not words(phrasing):
        return Outcome.EMPTY
    if len(phrasing) > MAX_PHRASING_CHARS:
        return Outcome.TOO_LONG
    if sum(len(word) for word in words(phrasing) if word not in STOP_WORDS) < MIN_CHARS:
        return Outcome.TOO_SHORT
    return None


def _article_in_turn(session: Session, article_id: str, now: dt.datetime):
    """The article's row, read after bumping the knowledge version; None (and nothing
    changed) when there is no such article. The row lock (PostgreSQL) or write lock
    (SQLite) the bump takes makes two people changing one article's phrasings at once take
    turns, so neither change is lost; a change that comes to nothing rolls it back."""
    bumped = session.exec(
        update(models.KnowledgeVersion)
        .where(models.KnowledgeVersion.id == 1)
        .values(version=models.KnowledgeVersion.version + 1, changed_at=now)
    ).rowcount
    if not bumped:  # articles put in without an import: the first version
        session.add(models.KnowledgeVersion(id=1, version=1, changed_at=now))
        session.flush()
    row = session.get(models.Article, article_id)
    if row is None:
        session.rollback()
    return row


def learn_phrasing(
    engine: Engine, *, article_id: str, query: str, now: dt.datetime | None = None
) -> Change:
    """Store `query` (cleaned) as a phrasing of the article, unless it adds nothing; at most
    MAX_PHRASINGS are kept, the oldest dropped first."""
    phrasing = clean(query)
    unfit = _unfit(phrasing)
    if unfit is not None:
        return Change(unfit, phrasing)
    now = now or models.utcnow()
    with db.session(engine) as session:
        row = _article_in_turn(session, article_id, now)
        if row is None:
            return Change(Outcome.NO_ARTICLE, phrasing)
        title, phrasings = row.title, list(row.phrasings or ())
        known = {_same(title), *map(_same, row.keywords or ()), *map(_same, phrasings)}
        if _same(phrasing) in known:
            session.rollback()
            return Change(Outcome.KNOWN, phrasing, title)
        phrasings.append(phrasing)
        dropped = phrasings.pop(0) if len(phrasings) > MAX_PHRASINGS else None
        row.phrasings = phrasings  # a new list, so the JSON column is seen to change
        row.learned_at = row.updated_at = now
    log.info("Learned a phrasing for article %s", article_id)  # not the text: it is typed
    return Change(Outcome.LEARNED, phrasing, title, dropped=dropped)


def link_search(
    engine: Engine, *, search_id: int, article_id: str, now: dt.datetime | None = None
) -> Change:
    """Learn a logged search (a knowledge gap) as a phrasing of the article."""
    query = search_query(engine, search_id)
    if query is None:
        return Change(Outcome.NO_SEARCH)
    return learn_phrasing(engine, article_id=article_id, query=query, now=now)


def search_query(engine: Engine, search_id: int) -> str | None:
    """A logged search's query, as stored (redacted); None once it has been purged."""
    with db.session(engine) as session:
        row = session.get(models.SearchLog, search_id)
        return row.query if row else None


def remove_phrasing(
    engine: Engine,
    *,
    article_id: str,
    phrasing: str | None = None,
    key: str | None = None,
    now: dt.datetime | None = None,
) -> Change:
    """Remove one phrasing from the article, named by its text (whatever the case) or by
    its `phrasing_key`."""
    if (phrasing is None) == (key is None):
        raise ValueError("name the phrasing to remove by its text or by its key, not both")
    wanted = " ".join(phrasing.split()).casefold() if phrasing is not None else None
    now = now or models.utcnow()
    with db.session(engine) as session:
        row = _article_in_turn(session, article_id, now)
        if row is None:
            return Change(Outcome.NO_ARTICLE, phrasing or "")
        title, phrasings = row.title, list(row.phrasings or ())
        match = next(
            (p for p in phrasings if p.casefold() == wanted or phrasing_key(p) == key), None
        )
        if match is None:
            session.rollback()
            return Change(Outcome.NOT_FOUND, phrasing or "", title, remaining=tuple(phrasings))
        phrasings.remove(match)
        row.phrasings = phrasings
        row.updated_at = now
    log.info("Removed a phrasing from article %s", article_id)
    return Change(Outcome.REMOVED, match, title, remaining=tuple(phrasings))
