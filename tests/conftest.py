"""Fixtures shared by every test: article factories, the bundled knowledge base and its
index (built once per session), new databases on the run's backend (SQLite, or PostgreSQL
when TEST_DATABASE_URL is set), and a recording fake Slack."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings

from knowledge import BUNDLED_ARTICLES
from knowledge.article import Article
from knowledge.loader import load_articles
from knowledge.search import SearchIndex

from .databases import BACKEND, SERVER_URL, migrated_engine, new_database
from .slack_fake import FakeSlack

# The handlers' assertion helpers, imported by tests in other folders too (tests/bot/slack):
# registered here, before any test module imports them, so their asserts explain failures.
pytest.register_assert_rewrite("tests.handlers.checks", "tests.handlers.listeners")

# CI runs the generated-input tests with a fixed seed (HYPOTHESIS_PROFILE=ci in .ci/run), so
# a CI verdict can be reproduced; everywhere else each run tries new inputs.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

MakeArticle = Callable[..., Article]


@pytest.fixture
def make_article() -> MakeArticle:
    """`make_article(3)` is a valid article numbered 3; keyword arguments override fields."""

    def make(number: int = 1, **fields) -> Article:
        values = {
            "id": f"test-article-{number}",
            "title": f"Test article number {number}",
            "category": "housing",
            "body": f'Say: "This is answer {number}."\n- A fact\n- Another fact\n'
            "Next step: Log the call.",
            "keywords": ("test", f"kw{number}"),
            "owner": "Housing team",
            "reviewed": dt.date(2026, 9, 1),
        }
        values.update(fields)
        return Article(**values)

    return make


@pytest.fixture(scope="session")
def bundled_articles() -> list[Article]:
    return load_articles(BUNDLED_ARTICLES)


@pytest.fixture(scope="session")
def bundled_index(bundled_articles) -> SearchIndex:
    return SearchIndex(bundled_articles)


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator:
    """A fresh SQLite database file, migrated to the newest schema, whatever the run's
    backend: for what only SQLite does (WAL, files)."""
    from bot.store import db

    engine = db.make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    db.upgrade(engine)  # the product's path: the migrations
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """The URL of a new, empty database on this run's backend (see tests/databases.py)."""
    with new_database(tmp_path) as url:
        yield url


@pytest.fixture
def engine(tmp_path) -> Iterator:
    """A new database on this run's backend, migrated to the newest schema: a SQLite file,
    or, when TEST_DATABASE_URL names a PostgreSQL server, a schema of its own there."""
    with migrated_engine(tmp_path) as engine:
        yield engine


@pytest.fixture(scope="session")
def slack_server() -> Iterator[FakeSlack]:
    """One fake Slack (Web API and response URLs) on a free loopback port per session."""
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def slack_api(slack_server) -> FakeSlack:
    """The fake Slack with nothing recorded and every method answering normally."""
    slack_server.reset()
    return slack_server


def pytest_report_header(config) -> str:
    return f"database backend: {BACKEND}" + (f" ({SERVER_URL})" if SERVER_URL else "")
