"""App Home: how to use Deskmate, a new starter's training progress, the kudos the person
received and their totals, and their own recent searches."""

from __future__ import annotations

import datetime as dt
from logging import Logger

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from bot import kudos_report
from bot import training as starters
from bot.slack.blocks import answer as blocks
from bot.slack.blocks import kudos as kudos_blocks
from bot.store import models
from handlers import replies
from handlers.starters import home_section as training_section

RECENT = 10
RECENT_KUDOS = 5
UNAVAILABLE = (
    f"{replies.SORRY_DATABASE} Your searches, kudos and training will show here when you "
    "open this tab again."
)


def recent_searches(engine, *, user_id: str, limit: int = RECENT) -> list[models.SearchLog]:
    with Session(engine) as session:
        statement = (
            select(models.SearchLog)
            .where(models.SearchLog.user_id == user_id)
            .order_by(models.SearchLog.created_at.desc(), models.SearchLog.id.desc())
            .limit(limit)
        )
        return list(session.exec(statement).all())


def home_view(
    searches: list[models.SearchLog],
    *,
    tz: dt.tzinfo,
    kudos: blocks.Blocks = (),
    training: blocks.Blocks = (),
) -> dict:
    """The Home tab: what to type, a starter's training, the person's kudos, then their
    latest searches (queries as logged, so already without callers' details)."""
    view = [blocks.header("Deskmate"), *blocks.usage(), {"type": "divider"}]
    if training:
        view += [*training, {"type": "divider"}]
    if kudos:
        view += [*kudos, {"type": "divider"}]
    view.append(blocks.header("Your recent searches"))
    if not searches:
        view.append(blocks.context("Nothing yet: your searches will show here."))
    for search in searches:
        when = search.created_at
        if when.tzinfo is None:  # SQLite gives back naive UTC
            when = when.replace(tzinfo=dt.UTC)
        found = "answered" if search.answered else "no confident match"
        line = f"{blocks.escape(search.query)}  ·  {found}  ·  {when.astimezone(tz):%d %b %H:%M}"
        view.append(blocks.context(line, verbatim=True))
    return {"type": "home", "blocks": view}


def unavailable_view() -> dict:
    """The Home tab while the database cannot be read: how to use Deskmate, and why the
    person's own things are missing (not "nothing yet", which would mislead)."""
    view = [blocks.header("Deskmate"), *blocks.usage(), {"type": "divider"}]
    view.append(blocks.context(UNAVAILABLE))
    return {"type": "home", "blocks": view}


def home_opened(event: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    if event.get("tab") != "home":
        return
    deskmate = context["deskmate"]
    user_id = event["user"]
    tz = deskmate.settings.tz
    try:
        searches = recent_searches(deskmate.engine, user_id=user_id)
        totals = kudos_report.totals(deskmate.engine, user_id, tz=tz, now=deskmate.clock())
        recent = kudos_report.received(deskmate.engine, user_id, limit=RECENT_KUDOS)
        found = starters.progress(deskmate.engine, user_id)
    except SQLAlchemyError as error:
        replies.database_failed(logger, "read App Home", error)
        view = unavailable_view()
    else:
        view = home_view(
            searches,
            tz=tz,
            kudos=kudos_blocks.home_section(totals, recent, tz=tz),
            training=training_section(found) if found is not None else [],
        )
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        logger.error("Could not publish App Home: %s", exc.response.get("error"))


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
