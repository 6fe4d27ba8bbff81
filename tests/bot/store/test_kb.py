from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.exc import IntegrityError

from bot.config.settings import load_settings
from bot.store import kb
from knowledge.loader import load_articles


def test_import_then_export_then_load_gives_equal_articles(engine, bundled_articles, tmp_path):
    result = kb.import_articles(engine, articles=bundled_articles)
    assert result == kb.ImportResult(added=len(bundled_articles), updated=0, unchanged=0)

    count = kb.export_articles(engine, directory=tmp_path / "out")

    assert count == len(bundled_articles)
    for article in bundled_articles[:5]:
        assert (tmp_path / "out" / article.category / f"{article.id}.md").is_file()
    by_id = sorted(bundled_articles, key=lambda a: a.id)
    assert sorted(load_articles(tmp_path / "out"), key=lambda a: a.id) == by_id
    assert kb.load_from_db(engine) == by_id


def test_optional_fields_survive_the_round_trip(engine, make_article, tmp_path):
    bare = make_article(1, keywords=(), owner=None, reviewed=None)
    full = make_article(2, keywords=("HMO", "licence", "5+ tenants"))
    kb.import_articles(engine, articles=[full, bare])

    kb.export_articles(engine, directory=tmp_path)

    assert load_articles(tmp_path) == [bare, full]


def test_reimporting_the_same_articles_reports_unchanged(engine, make_article):
    articles = [make_article(n) for n in range(3)]
    kb.import_articles(engine, articles=articles)
    version = kb.knowledge_version(engine)

    result = kb.import_articles(engine, articles=articles)

    assert result == kb.ImportResult(added=0, updated=0, unchanged=3)
    assert str(result) == "added 0, updated 0, unchanged 3"
    assert kb.knowledge_version(engine) == version


def test_an_edited_article_is_updated_and_a_new_one_added(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1), make_article(2)])
    version = kb.knowledge_version(engine)
    edited = make_article(2, title="A better title", keywords=("new",))

    result = kb.import_articles(engine, articles=[make_article(1), edited, make_article(3)])

    assert result == kb.ImportResult(added=1, updated=1, unchanged=1)
    assert kb.load_from_db(engine) == [make_article(1), edited, make_article(3)]
    assert kb.knowledge_version(engine) == version + 1


def test_the_version_starts_at_zero_and_counts_changing_imports(engine, make_article):
    assert kb.knowledge_version(engine) == 0
    kb.import_articles(engine, articles=[make_article(1)])
    kb.import_articles(engine, articles=[make_article(1, body="Say: changed")])

    assert kb.knowledge_version(engine) == 2


def test_a_failure_part_way_through_changes_nothing(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1)])
    # More than one flush of rows, then a row the database refuses (body is NOT NULL).
    articles = [make_article(1, title="Changed")]
    articles += [make_article(n) for n in range(2, 700)]
    articles.append(dataclasses.replace(make_article(700), body=None))

    with pytest.raises(IntegrityError):
        kb.import_articles(engine, articles=articles)

    assert kb.load_from_db(engine) == [make_article(1)]
    assert kb.knowledge_version(engine) == 1


def test_duplicate_ids_are_refused_before_anything_is_written(engine, make_article):
    with pytest.raises(ValueError, match="duplicate article ids: test-article-1"):
        kb.import_articles(engine, articles=[make_article(1), make_article(1, title="Again")])

    assert kb.count_articles(engine) == 0


def test_progress_is_reported_up_to_the_total(engine, make_article):
    calls = []

    kb.import_articles(
        engine,
        articles=[make_article(n) for n in range(1200)],
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls[-1] == (1200, 1200)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_export_refuses_a_category_that_would_leave_the_folder(engine, make_article, tmp_path):
    kb.import_articles(engine, articles=[make_article(1, category="../outside")])

    with pytest.raises(ValueError, match="cannot be a folder name"):
        kb.export_articles(engine, directory=tmp_path / "out")

    assert not (tmp_path / "outside").exists()


def test_ensure_bundled_seeds_an_empty_database_once(engine, bundled_articles, make_article):
    settings = load_settings()

    first = kb.ensure_bundled(engine, settings)
    again = kb.ensure_bundled(engine, settings)

    assert first.added == len(bundled_articles)
    assert again is None
    assert kb.count_articles(engine) == len(bundled_articles)


def test_ensure_bundled_leaves_an_existing_knowledge_base_alone(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1)])

    assert kb.ensure_bundled(engine, load_settings()) is None
    assert kb.load_from_db(engine) == [make_article(1)]


def test_ensure_bundled_uses_the_configured_articles(engine, make_article, write_config):
    config = write_config("knowledge:\n  articles: mine.csv\n")
    (config.parent / "mine.csv").write_text(
        "id,title,category,keywords,owner,reviewed,body\n"
        'own-1,Our answer,billing,a;b,,,"Say: ours"\n'
    )

    kb.ensure_bundled(engine, load_settings())

    assert [article.id for article in kb.load_from_db(engine)] == ["own-1"]


def test_the_index_from_the_database_answers_like_the_bundled_index(engine, bundled_index):
    index = kb.index_from_db(engine, settings=load_settings())

    for query in ("single person discount", "skip permit", "zzqx vorpal flibbertigibbet"):
        got = [(hit.article.id, hit.score) for hit in index.search(query)]
        assert got == [(hit.article.id, hit.score) for hit in bundled_index.search(query)]


def test_phrasings_survive_export_and_import_from_markdown(engine, make_article, tmp_path):
    taught = make_article(1, phrasings=("how do I apply, quickly?", "2026-01-01", "'quoted'"))
    bare = make_article(2)
    kb.import_articles(engine, articles=[taught, bare])

    kb.export_articles(engine, directory=tmp_path / "out")
    again = load_articles(tmp_path / "out")

    assert again == [taught, bare]
    assert kb.import_articles(engine, articles=again) == kb.ImportResult(unchanged=2)
    assert kb.load_from_db(engine) == [taught, bare]


def test_phrasings_from_a_csv_are_stored_and_exported(engine, tmp_path):
    (tmp_path / "kb.csv").write_text(
        "id,title,category,keywords,owner,reviewed,body,phrasings\n"
        'own-1,Our answer,billing,a;b,,,"Say: ours","bill too high; why so much, this month"\n'
        "own-2,Another,billing,,,,Say: more,\n",
        encoding="utf-8",
    )
    articles = load_articles(tmp_path / "kb.csv")

    kb.import_articles(engine, articles=articles)
    kb.export_articles(engine, directory=tmp_path / "out")

    stored = {article.id: article.phrasings for article in kb.load_from_db(engine)}
    assert stored == {"own-1": ("bill too high", "why so much, this month"), "own-2": ()}
    assert load_articles(tmp_path / "out") == articles


def test_an_import_that_changes_only_phrasings_updates_and_bumps_the_version(engine, make_article):
    kb.import_articles(engine, articles=[make_article(1)])
    version = kb.knowledge_version(engine)

    result = kb.import_articles(engine, articles=[make_article(1, phrasings=("bins late",))])

    assert result == kb.ImportResult(updated=1)
    assert kb.load_from_db(engine)[0].phrasings == ("bins late",)
    assert kb.knowledge_version(engine) == version + 1


def test_a_council_install_starts_without_the_us_utilitys_billing(engine, write_config):
    settings = load_settings(write_config("knowledge:\n  bundled: council\n"))

    kb.ensure_bundled(engine, settings)

    articles = kb.load_from_db(engine)
    categories = {article.category for article in articles}
    assert categories == {"housing", "benefits", "planning", "licensing", "callcraft"}
    assert not any("$" in article.body for article in articles)
    index = kb.build_index(articles=articles, settings=settings)
    assert all(hit.article.category != "billing" for hit in index.search("pay my water bill"))


def test_a_billing_install_starts_with_billing_and_call_craft(engine, write_config):
    settings = load_settings(write_config("knowledge:\n  bundled: billing\n"))

    kb.ensure_bundled(engine, settings)

    categories = {article.category for article in kb.load_from_db(engine)}
    assert categories == {"billing", "callcraft"}


def test_bundled_none_starts_empty_for_the_centres_own(engine, write_config):
    settings = load_settings(write_config("knowledge:\n  bundled: none\n"))

    assert kb.ensure_bundled(engine, settings) is None
    assert kb.count_articles(engine) == 0
