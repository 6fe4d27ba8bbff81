"""App Home: how to use Deskmate, and the CSR's own recent searches."""

from __future__ import annotations

import datetime as dt
from logging import Logger

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from bot import models
from handlers import blocks

RECENT = 10


def recent_searches(engine, *, user_id: str, limit: int = RECENT) -> list[models.SearchLog]:
    with Session(engine) as session:
        statement = (
            select(models.SearchLog)
            .where(models.SearchLog.user_id == user_id)
            .order_by(models.SearchLog.created_at.desc(), models.SearchLog.id.desc())
            .limit(limit)
        )
        return list(session.exec(statement).all())


def home_view(searches: list[models.SearchLog], *, tz: dt.tzinfo) -> dict:
    """The Home tab: what to type, then the CSR's latest searches (queries as logged, so
    already without callers' details)."""
    view = [
        blocks.header("Deskmate"),
        *blocks.usage(),
        {"type": "divider"},
        blocks.header("Your recent searches"),
    ]
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


def home_opened(event: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    if event.get("tab") != "home":
        return
    deskmate = context["deskmate"]
    user_id = event["user"]
    try:
        searches = recent_searches(deskmate.engine, user_id=user_id)
    except SQLAlchemyError:
        logger.exception("Could not read recent searches for App Home")
        searches = []
    try:
        client.views_publish(user_id=user_id, view=home_view(searches, tz=deskmate.settings.tz))
    except SlackApiError as exc:
        logger.error("Could not publish App Home: %s", exc.response.get("error"))


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
