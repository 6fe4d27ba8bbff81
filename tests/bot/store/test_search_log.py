"""Search logs stored in batches from a background thread (HTTP mode)."""

from __future__ import annotations

import logging

from sqlmodel import select

from bot.answer import find_answer
from bot.store import db, models
from bot.store.search_log import SearchEntry, SearchLogWriter, search_entry


def _entry(query: str) -> SearchEntry:
    return search_entry(
        user_id="U1", query=query, result_ids=[], top_score=None, answered=True, latency_ms=1.0
    )


def _stored(engine) -> list[str]:
    with db.session(engine) as session:
        return sorted(row.query for row in session.exec(select(models.SearchLog)))


def test_queued_entries_are_all_stored_by_close(sqlite_engine):
    writer = SearchLogWriter(sqlite_engine)
    for number in range(250):
        writer(_entry(f"q{number:03d}"))

    writer.close()

    assert _stored(sqlite_engine) == [f"q{number:03d}" for number in range(250)]


def test_an_entry_after_close_is_stored_at_once(sqlite_engine):
    writer = SearchLogWriter(sqlite_engine)
    writer.close()

    writer(_entry("late"))

    assert _stored(sqlite_engine) == ["late"]


def test_find_answer_hands_the_entry_over_instead_of_storing_it(bundled_index, sqlite_engine):
    taken: list[SearchEntry] = []

    answer = find_answer(
        bundled_index, sqlite_engine, text="ctr apply", user_id="U1", log_search=taken.append
    )

    assert answer.found
    assert [entry["query"] for entry in taken] == ["ctr apply"]
    assert _stored(sqlite_engine) == []


def test_entries_the_database_refused_are_kept_for_the_next_batch(tmp_path, caplog):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'late.db'}")  # no tables yet
    writer = SearchLogWriter(engine)
    caplog.set_level(logging.WARNING, logger="bot.store.search_log")
    try:
        writer._store([_entry("first")])  # as the thread would: refused, kept
        assert "1 search logs not stored yet" in caplog.text

        db.upgrade(engine)  # the database is back
        writer(_entry("second"))
        writer.close()

        assert _stored(engine) == ["first", "second"]
    finally:
        writer.close()
        engine.dispose()


def test_a_long_outage_keeps_only_the_newest_entries(tmp_path, caplog):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'down.db'}")  # no tables
    writer = SearchLogWriter(engine, max_pending=2)
    writer.close()
    caplog.set_level(logging.WARNING, logger="bot.store.search_log")

    writer._store([_entry("a"), _entry("b"), _entry("c")])
    db.upgrade(engine)
    writer._store([])

    assert "1 oldest dropped" in caplog.text
    assert _stored(engine) == ["b", "c"]
    engine.dispose()


def test_close_cuts_the_gathering_short_and_stores_every_batch(sqlite_engine):
    # A minute's gathering would hold close() for a minute; closing wakes the writer, and
    # more than a batch's worth is stored as several batches.
    writer = SearchLogWriter(sqlite_engine, max_delay=60.0, max_batch=10)
    batches: list[int] = []
    store = writer._store
    writer._store = lambda batch: (batches.append(len(batch)), store(batch))  # type: ignore[method-assign]
    for number in range(25):
        writer(_entry(f"q{number:02d}"))

    writer.close(timeout=30.0)

    assert not writer._thread.is_alive()
    assert _stored(sqlite_engine) == [f"q{number:02d}" for number in range(25)]
    assert max(batches) <= 10 and sum(batches) == 25
