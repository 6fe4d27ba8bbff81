"""Customers' praise reaches the person: a survey card rated 5 with a comment becomes one
kudos "from a customer" to the CSR who took the call, posted once like any other and counted
in the weekly digest; nothing for other cards, or for an agent not matched yet."""

from __future__ import annotations

import datetime as dt
import json
import logging

from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.figures.imports import record_matches
from bot.kudos_praise import CUSTOMER, praise_from_cards
from bot.kudos_report import weekly_digest
from bot.slack.blocks.kudos import digest
from bot.slack.client import CONSOLE_TOKEN, make_client
from bot.slack.kudos import retry_unposted
from bot.store import models
from scheduler.kudos import praise_customers

KUDOS = "C0KUDOS001"
DAY = dt.date(2026, 9, 2)
NOW = dt.datetime(2026, 9, 3, 9, tzinfo=dt.UTC)


def _cards(engine, *cards: tuple[str, str, int, str | None]) -> None:
    with Session(engine) as session:
        session.add_all(
            models.SurveyCard(call=call, agent=agent, day=DAY, rating=rating, comment=comment)
            for call, agent, rating, comment in cards
        )
        session.commit()


def _kudos(engine) -> list[tuple[models.Kudos, list[str]]]:
    with Session(engine) as session:
        rows = session.exec(select(models.Kudos).order_by(models.Kudos.id)).all()
        return [
            (
                row,
                list(
                    session.exec(
                        select(models.KudosRecipient.user_id).where(
                            models.KudosRecipient.kudos_id == row.id
                        )
                    )
                ),
            )
            for row in rows
        ]


def test_a_five_with_a_comment_becomes_one_kudos_from_a_customer_once(engine):
    _cards(
        engine,
        ("C1", "1001", 5, "Really kind and patient with my mum"),
        ("C2", "1001", 4, "Good"),
        ("C3", "1001", 5, None),
        ("C4", "9999", 5, "Brilliant"),  # an agent not matched yet
    )
    agents = {"1001": "U0ANNE0001"}

    assert praise_from_cards(engine, agents=agents, channel=KUDOS, now=NOW) == 1
    assert praise_from_cards(engine, agents=agents, channel=KUDOS, now=NOW) == 0

    [(kudos, recipients)] = _kudos(engine)
    assert (kudos.giver_id, kudos.message, kudos.channel) == (
        CUSTOMER,
        "Really kind and patient with my mum",
        KUDOS,
    )
    assert recipients == ["U0ANNE0001"] and kudos.posted_ts is None

    record_matches(engine, {"9999": "U0BEN00001"})  # matched later: praised then
    assert praise_from_cards(engine, agents=agents, channel=KUDOS, now=NOW) == 1
    assert [r for _, r in _kudos(engine)] == [["U0ANNE0001"], ["U0BEN00001"]]


def test_it_is_posted_once_as_from_a_customer_and_counts_in_the_digest(engine, slack_api):
    _cards(engine, ("C1", "1001", 5, "Sorted my council tax in one call"))
    praise_from_cards(engine, agents={"1001": "U0ANNE0001"}, channel=KUDOS, now=NOW)
    client = make_client(CONSOLE_TOKEN, base_url=slack_api.api_url)
    logger = logging.getLogger("test")

    assert retry_unposted(engine, client, logger, clock=lambda: NOW) == 1
    assert retry_unposted(engine, client, logger, clock=lambda: NOW) == 0

    [shout_out] = slack_api.visible(KUDOS)
    assert "from a customer" in shout_out.body["text"]
    assert "Sorted my council tax in one call" in json.dumps(shout_out.body["blocks"])
    [dm] = slack_api.visible("U0ANNE0001")
    assert "You've received kudos from a customer" in dm.body["text"]
    week = weekly_digest(engine, week_start=dt.date(2026, 8, 31), tz=dt.UTC, values=[])
    text, blocks = digest(week)
    assert "<@U0ANNE0001>, from a customer" in json.dumps(blocks)
    assert "<@customer>" not in json.dumps(blocks) + text


def test_the_setting_and_a_kudos_channel_are_both_needed(engine):
    _cards(engine, ("C1", "1001", 5, "Lovely"))
    agents = {"figures": {"agents": {"1001": "U0ANNE0001"}}}

    assert praise_customers(engine, Settings(channels={"kudos": KUDOS}, **agents)) == 0
    on = {"kudos": {"customer_praise": True}}
    assert praise_customers(engine, Settings(**on, **agents)) == 0  # nowhere to post it
    assert praise_customers(engine, Settings(channels={"kudos": KUDOS}, **on, **agents)) == 1
