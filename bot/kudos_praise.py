"""Customers' praise reaches the person (core, no Slack): a survey card rated 5 with a
comment becomes a kudos "from a customer" to the CSR who took the call, when
`kudos.customer_praise` is on. Each card becomes one kudos, once (the card keeps its id),
stored unposted for the kudos retry pass to post like any other: in the kudos channel, a DM
to the CSR, in the weekly digest and the recognition figures. The comment was redacted on
import; a card whose agent is not matched to a Slack user yet waits until they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.figures.imports import agent_users
from bot.kudos_text import MAX_MESSAGE_CHARS
from bot.store.models import Kudos, KudosRecipient, SurveyCard, utcnow

CUSTOMER = "customer"  # the giver of a customer's kudos: not a Slack user


def praise_from_cards(
    engine: Engine,
    *,
    agents: Mapping[str, str],
    channel: str,
    now: dt.datetime | None = None,
) -> int:
    """Turn every card rated 5 with a comment, for a matched agent and not yet praised,
    into a kudos waiting to be posted in `channel`; returns how many."""
    now = now or utcnow()
    users = agent_users(engine, agents=agents)
    with Session(engine) as session:
        cards = session.exec(
            select(SurveyCard).where(
                SurveyCard.rating == 5,
                col(SurveyCard.comment).is_not(None),
                col(SurveyCard.kudos_id).is_(None),
                col(SurveyCard.agent).in_(list(users)),
            )
        ).all()
    made = 0
    for card in cards:
        made += _praise(engine, card, user_id=users[card.agent], channel=channel, now=now)
    return made


def _praise(engine: Engine, card: SurveyCard, *, user_id: str, channel: str, now) -> bool:
    with Session(engine) as session:
        row = Kudos(
            request_key=f"survey card {card.call}"[:300],
            giver_id=CUSTOMER,
            message=(card.comment or "")[:MAX_MESSAGE_CHARS],
            giver_day=card.day,
            day_slot=card.id,  # one a card: unique for the customer giver's day
            channel=channel,
            created_at=now,
        )
        session.add(row)
        try:
            session.flush()
            session.add(KudosRecipient(kudos_id=row.id, user_id=user_id, position=0))
            # Only while the card is still unpraised: another process may have got there.
            done = session.execute(
                update(SurveyCard)
                .where(col(SurveyCard.id) == card.id, col(SurveyCard.kudos_id).is_(None))
                .values(kudos_id=row.id)
            )
            if done.rowcount != 1:
                session.rollback()
                return False
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
    return True
