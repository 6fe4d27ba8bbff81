"""Fixtures for the Slack surface: the listeners' arguments as Bolt would pass them, over a
real SQLite database and the bundled search index; only Slack itself is mocked."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from unittest.mock import Mock

import pytest
from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookResponse

from bot.config.settings import Settings
from bot.deskmate import Deskmate

from ..db_faults import breakable  # noqa: F401 - the fixture, for test_db_down

OWNER_CHANNEL = "C0REVENUE1"  # the Revenues team's channel; other owners have none


@pytest.fixture
def settings() -> Settings:
    return Settings(owners={"Revenues team": OWNER_CHANNEL})


@pytest.fixture
def deskmate(settings, engine, bundled_index) -> Deskmate:
    return Deskmate(settings=settings, engine=engine, index=bundled_index)


@pytest.fixture
def context(deskmate) -> BoltContext:
    return BoltContext({"deskmate": deskmate})


@pytest.fixture
def down(deskmate, tmp_path) -> Iterator[Deskmate]:
    """The same app over a database that cannot be written (its tables are missing)."""
    from bot.store import db

    engine = db.make_engine(f"sqlite:///{tmp_path / 'broken.db'}")
    deskmate.engine = engine
    yield deskmate
    engine.dispose()


@pytest.fixture
def ack() -> Mock:
    return Mock(Ack)


@pytest.fixture
def respond() -> Mock:
    respond = Mock(Respond)
    respond.response_url = "https://hooks.slack.com/actions/T0COUNCIL1/1/card"
    respond.return_value = WebhookResponse(url="", status_code=200, body="ok", headers={})
    return respond


@pytest.fixture
def client() -> Mock:
    return Mock(WebClient)


@pytest.fixture
def logger() -> logging.Logger:
    return logging.getLogger("deskmate.test")
