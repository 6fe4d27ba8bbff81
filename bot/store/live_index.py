"""The search index kept in step with the knowledge base in the database.

Several instances share one database, and an import through any of them (or `deskmate kb
import`) changes what all of them should find. Each import that changes something bumps
the one `knowledge_version` row; every instance reads that row (one primary-key lookup) at
most every `knowledge.refresh_seconds`, and when it has moved, rebuilds its index in a
background thread and swaps it in. Answers keep coming from the old index meanwhile, and
keep coming from it when the database is unreachable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.config.settings import Settings
from bot.store import kb
from knowledge.search import SearchIndex

log = logging.getLogger(__name__)


class LiveIndex:
    """`current` is the search index over what the database held at the last check."""

    def __init__(
        self,
        engine: Engine,
        *,
        settings: Settings,
        monotonic: Callable[[], float] = time.monotonic,
        background: bool = True,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._monotonic = monotonic
        self._background = background
        self._every = settings.knowledge.refresh_seconds
        self._lock = threading.Lock()  # one check or rebuild at a time; others don't wait
        # Read before the articles: an import between the two is seen at the next check.
        self.version = kb.knowledge_version(engine)
        self._index = kb.index_from_db(engine, settings=settings)
        if not self.version:
            self.version = kb.knowledge_version(engine)  # the first start's seed bumped it
        self._next_check = monotonic() + self._every

    @property
    def current(self) -> SearchIndex:
        if self._monotonic() >= self._next_check and self._lock.acquire(blocking=False):
            self._next_check = self._monotonic() + self._every
            if self._background:
                threading.Thread(target=self._check_holding_lock, daemon=True).start()
            else:
                self._check_holding_lock()
        return self._index

    def refresh(self) -> bool:
        """Check now, and rebuild at once if the knowledge base changed; True if it did."""
        with self._lock:
            return self._refresh()

    def _check_holding_lock(self) -> None:
        try:
            self._refresh()
        finally:
            self._lock.release()

    def _refresh(self) -> bool:
        try:
            version = kb.knowledge_version(self._engine)
            if version == self.version:
                return False
            index = kb.build_index(articles=kb.load_from_db(self._engine), settings=self._settings)
        except SQLAlchemyError:
            log.warning("Could not check the knowledge base for changes; answering from the last")
            return False
        self._index, self.version = index, version
        log.info("Knowledge base changed: search index rebuilt (version %d)", version)
        return True
