"""What every listener and command works with: the settings, the database, the search index
and the clock, as one object (`context["deskmate"]` in a listener). No Slack in it: the
Slack surfaces are built around it (bot.entry.app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.config.settings import Settings
from bot.store.live_index import LiveIndex
from bot.store.models import utcnow
from bot.store.search_log import SearchEntry
from knowledge.search import SearchIndex


@dataclass
class Deskmate:
    """What every listener needs, handed to it as `context["deskmate"]`."""

    settings: Settings
    engine: Engine
    index: SearchIndex | LiveIndex  # LiveIndex follows imports made elsewhere
    # Where /answer hands its search log entry (None: stored as it is made); HTTP mode
    # gives a SearchLogWriter so answers never queue for the database.
    log_search: Callable[[SearchEntry], None] | None = None
    # The time now (UTC); tests set the day a kudos is given on.
    clock: Callable[[], dt.datetime] = utcnow

    @property
    def search_index(self) -> SearchIndex:
        """The index to answer this request from (a live one's latest)."""
        return self.index.current if isinstance(self.index, LiveIndex) else self.index

    def today(self) -> dt.date:
        """Today's date in the configured time zone, by the app's clock."""
        return self.clock().astimezone(self.settings.tz).date()
