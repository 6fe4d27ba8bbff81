"""Learned phrasings in the core (SQLite and PostgreSQL): what is stored (never a caller's
details), what is passed over, the cap per article, removing one, and the knowledge version
that makes every instance rebuild its index."""

from __future__ import annotations

import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session

from bot import phrasings
from bot.phrasings import MAX_PHRASINGS, Outcome, learn_phrasing, phrasing_key, remove_phrasing
from bot.redact import redact
from bot.store import kb, models
from knowledge.article import MAX_PHRASING_CHARS

ARTICLE = "test-article-1"
NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def article(engine, make_article):
    """ "Test article number 1", with a keyword and a phrasing."""
    made = make_article(1, keywords=("test", "visitor parking"), phrasings=("bin day changed",))
    kb.import_articles(engine, articles=[made])
    return made


def stored(engine) -> tuple[str, ...]:
    [article] = kb.load_from_db(engine)
    return article.phrasings


def test_a_question_is_stored_on_one_line_and_bumps_the_version(engine, article):
    version = kb.knowledge_version(engine)

    change = learn_phrasing(
        engine, article_id=ARTICLE, query="  how do I  apply\tfor a\nparking permit ", now=NOW
    )

    assert change == phrasings.Change(
        Outcome.LEARNED, "how do I apply for a parking permit", "Test article number 1"
    )
    assert change.changed
    assert stored(engine) == ("bin day changed", "how do I apply for a parking permit")
    assert kb.knowledge_version(engine) == version + 1
    with Session(engine) as session:
        row = session.get(models.Article, ARTICLE)
        assert row.learned_at is not None and row.updated_at is not None


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("email jo.bloggs+x@example.co.uk about parking permit", "email about parking permit"),
        ("parking permit call 07700 900123 back", "parking permit call back"),
        ("parking permit for SW1A 1AA", "parking permit for"),
        ("parking permit account 12345678", "parking permit account"),
        ("parking permit card 4111 1111 1111 1111", "parking permit card"),
        # A knowledge gap's search as the log holds it, labels and all.
        ("parking permit at [postcode] for [email]", "parking permit at for"),
    ],
)
def test_callers_details_are_never_stored(engine, article, query, kept):
    change = learn_phrasing(engine, article_id=ARTICLE, query=query)

    assert change.outcome is Outcome.LEARNED
    assert stored(engine)[-1] == kept == change.phrasing
    assert redact(kept) == kept  # nothing the search log would redact is left
    assert "[" not in kept


@pytest.mark.parametrize(
    ("query", "outcome"),
    [
        ("", Outcome.EMPTY),
        ("jo@example.com 07700 900123", Outcome.EMPTY),
        ("[postcode]", Outcome.EMPTY),
        ("spd", Outcome.TOO_SHORT),
        ("how do I do it", Outcome.TOO_SHORT),  # filler words only
        ("parking " * (MAX_PHRASING_CHARS // 8 + 1), Outcome.TOO_LONG),
        ("Test Article Number 1", Outcome.KNOWN),  # the title
        ("VISITOR  parking", Outcome.KNOWN),  # a keyword
        ("Bin day, changed?", Outcome.KNOWN),  # a phrasing, in other case and punctuation
    ],
)
def test_a_question_that_adds_nothing_is_passed_over_and_changes_nothing(
    engine, article, query, outcome
):
    version = kb.knowledge_version(engine)

    change = learn_phrasing(engine, article_id=ARTICLE, query=query)

    assert change.outcome is outcome and not change.changed
    assert stored(engine) == ("bin day changed",)
    assert kb.knowledge_version(engine) == version


def test_an_article_not_in_the_knowledge_base_learns_nothing(engine, article):
    version = kb.knowledge_version(engine)

    change = learn_phrasing(engine, article_id="no-such-article", query="parking permit")

    assert change.outcome is Outcome.NO_ARTICLE
    assert kb.knowledge_version(engine) == version


def test_at_most_fifty_are_kept_the_oldest_dropped_first(engine, article):
    for number in range(MAX_PHRASINGS - 1):
        learn_phrasing(engine, article_id=ARTICLE, query=f"question number {number}")
    assert len(stored(engine)) == MAX_PHRASINGS

    change = learn_phrasing(engine, article_id=ARTICLE, query="the newest question")

    assert change.dropped == "bin day changed"
    kept = stored(engine)
    assert len(kept) == MAX_PHRASINGS
    assert kept[0] == "question number 0" and kept[-1] == "the newest question"


def test_people_teaching_one_article_at_once_lose_nothing(engine, article):
    queries = [f"simultaneous question {number}" for number in range(12)]

    with ThreadPoolExecutor(6) as pool:
        changes = list(
            pool.map(lambda q: learn_phrasing(engine, article_id=ARTICLE, query=q), queries)
        )

    assert {change.outcome for change in changes} == {Outcome.LEARNED}
    assert sorted(stored(engine)) == sorted(["bin day changed", *queries])


def test_removing_by_text_or_key_bumps_the_version(engine, article):
    learn_phrasing(engine, article_id=ARTICLE, query="parking permit renewal")
    version = kb.knowledge_version(engine)

    by_text = remove_phrasing(engine, article_id=ARTICLE, phrasing="PARKING  permit renewal")
    by_key = remove_phrasing(engine, article_id=ARTICLE, key=phrasing_key("bin day changed"))

    assert (by_text.outcome, by_text.phrasing) == (Outcome.REMOVED, "parking permit renewal")
    assert by_text.remaining == ("bin day changed",)
    assert (by_key.outcome, by_key.phrasing, by_key.remaining) == (
        Outcome.REMOVED,
        "bin day changed",
        (),
    )
    assert stored(engine) == ()
    assert kb.knowledge_version(engine) == version + 2


def test_removing_what_is_not_there_changes_nothing(engine, article):
    version = kb.knowledge_version(engine)

    gone = remove_phrasing(engine, article_id=ARTICLE, key=phrasing_key("never learned"))
    no_article = remove_phrasing(engine, article_id="no-such-article", phrasing="bin day changed")

    assert (gone.outcome, gone.remaining) == (Outcome.NOT_FOUND, ("bin day changed",))
    assert no_article.outcome is Outcome.NO_ARTICLE
    assert stored(engine) == ("bin day changed",)
    assert kb.knowledge_version(engine) == version
    with pytest.raises(ValueError):
        remove_phrasing(engine, article_id=ARTICLE)


def test_a_logged_search_is_linked_without_its_labels_and_a_purged_one_is_said(engine, article):
    with Session(engine) as session:
        log = models.SearchLog(
            user_id="U0CSR00001",
            query=redact("parking permit for SW1A 1AA"),
            answered=False,
            latency_ms=1.0,
        )
        session.add(log)
        session.commit()
        search_id = log.id

    change = phrasings.link_search(engine, search_id=search_id, article_id=ARTICLE)
    purged = phrasings.link_search(engine, search_id=search_id + 1, article_id=ARTICLE)

    assert (change.outcome, change.phrasing) == (Outcome.LEARNED, "parking permit for")
    assert purged.outcome is Outcome.NO_SEARCH
    assert stored(engine) == ("bin day changed", "parking permit for")


def test_phrasings_survive_export_and_import_and_an_import_says_what_it_removed(
    engine, article, tmp_path
):
    learn_phrasing(engine, article_id=ARTICLE, query="parking permit, how long?")
    kb.export_articles(engine, directory=tmp_path)
    from knowledge.loader import load_articles

    [exported] = load_articles(tmp_path)
    assert exported.phrasings == ("bin day changed", "parking permit, how long?")
    assert kb.import_articles(engine, articles=[exported]).unchanged == 1

    result = kb.import_articles(engine, articles=[dataclasses.replace(exported, phrasings=())])

    assert result == kb.ImportResult(updated=1, phrasings_removed=2)
    assert str(result) == (
        "added 0, updated 1, unchanged 0; 2 phrasings not in the files removed "
        "(`deskmate kb export` first keeps what CSRs taught)"
    )
    assert stored(engine) == ()
