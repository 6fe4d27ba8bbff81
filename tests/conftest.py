"""Fixtures shared by every test: article factories, the bundled knowledge base and its
index (built once per session), a temporary SQLite database, and a recording fake Slack."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from knowledge import BUNDLED_ARTICLES
from knowledge.article import Article
from knowledge.loader import load_articles
from knowledge.search import SearchIndex

from .slack_fake import FakeSlack

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
    """A fresh SQLite database file, migrated to the newest schema."""
    from bot import db

    engine = db.make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    db.upgrade(engine)  # the product's path: the migrations
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path) -> Iterator:
    """A fresh database migrated to the newest schema: a SQLite file, and a schema of its own
    on the PostgreSQL server named by TEST_DATABASE_URL (CI sets it; skipped without)."""
    from sqlalchemy import text

    from bot import db

    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_engine")
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL server to test against")
    schema = f"deskmate_test_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = db.make_engine(url, schema=schema)
    db.upgrade(engine)  # the product's path: the migrations
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
