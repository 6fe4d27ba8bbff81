"""The live index follows the knowledge base in the database: a change made elsewhere is
picked up at the next check, at most every `knowledge.refresh_seconds`, and the last index
keeps answering when the database is out of reach."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from sqlalchemy import text

from bot.config.settings import Settings, SettingsError, load_settings
from bot.phrasings import learn_phrasing
from bot.store import kb
from bot.store.live_index import LiveIndex


class Ticks:
    """A monotonic clock that moves only when a test says."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings() -> Settings:
    return Settings(knowledge={"refresh_seconds": 2})


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def live(engine, settings, ticks) -> LiveIndex:
    return LiveIndex(engine, settings=settings, monotonic=ticks, background=False)


def _ids(live: LiveIndex, query: str) -> list[str]:
    return [hit.article.id for hit in live.current.search(query)]


def test_a_first_start_seeds_the_bundled_articles_and_knows_their_version(engine, live):
    assert len(live.current) == kb.count_articles(engine) > 100
    assert live.version == kb.knowledge_version(engine) >= 1


def test_a_phrasing_learned_elsewhere_is_in_the_index_after_the_next_check(live, engine, ticks):
    learn_phrasing(
        engine, article_id="licensing-skip-permit", query="builders bags on the road outside"
    )
    found = {a.id: a.phrasings for a in live.current.articles}["licensing-skip-permit"]
    assert found == ()  # not yet time to look

    ticks.now += 2
    found = {a.id: a.phrasings for a in live.current.articles}["licensing-skip-permit"]
    assert found == ("builders bags on the road outside",)
    assert live.version == kb.knowledge_version(engine)


def test_an_import_elsewhere_is_found_after_the_next_check(engine, live, ticks, make_article):
    article = make_article(7, title="Pigeon loft permission", keywords=("pigeon loft",))
    kb.import_articles(engine, articles=[article])
    assert article.id not in _ids(live, "pigeon loft")  # not yet time to look

    ticks.now += 2
    assert _ids(live, "pigeon loft")[0] == article.id
    assert live.version == kb.knowledge_version(engine)


def test_no_change_means_no_rebuild(engine, live, ticks):
    before = live.current
    ticks.now += 10
    assert live.current is before
    assert live.refresh() is False


def test_marking_reviewed_elsewhere_shows_the_new_date(engine, live):
    article_id = live.current.articles[0].id
    day = dt.date(2026, 11, 20)
    assert kb.mark_reviewed(engine, article_id, day=day, user_id="U0SUPER1")

    assert live.refresh() is True
    assert next(a for a in live.current.articles if a.id == article_id).reviewed == day


def test_the_last_index_keeps_answering_when_the_check_fails(engine, live, ticks, caplog):
    before = live.current
    with engine.begin() as connection:  # the check's table is gone: every check now fails
        connection.execute(text("DROP TABLE knowledge_version"))
    ticks.now += 2
    with caplog.at_level(logging.WARNING, logger="bot.store.live_index"):
        assert live.current is before
    assert _ids(live, "single person discount")[0] == "benefits-single-person-discount"
    assert "answering from the last" in caplog.text


def test_a_background_check_swaps_the_index_in_without_holding_answers_up(
    engine, settings, ticks, make_article
):
    live = LiveIndex(engine, settings=settings, monotonic=ticks)  # background, as in the bot
    old = live.current
    kb.import_articles(engine, articles=[make_article(8, title="Beekeeping hive rules")])
    swapped = threading.Event()
    original = live._refresh

    def refresh_and_say() -> bool:
        changed = original()
        swapped.set()
        return changed

    live._refresh = refresh_and_say
    ticks.now += 2
    assert live.current is old  # this answer does not wait for the rebuild
    assert swapped.wait(30)
    assert live.current is not old
    assert "test-article-8" in {a.id for a in live.current.articles}


def test_refresh_seconds_is_validated(write_config):
    write_config("knowledge:\n  refresh_seconds: 0\n")
    with pytest.raises(SettingsError, match="knowledge.refresh_seconds"):
        load_settings()
