"""App Home: how to use Deskmate, a new starter's training progress, the kudos the person
received and their totals, and their own recent searches."""

from __future__ import annotations

from logging import Logger

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import kudos_report, training
from bot.answer import recent_searches
from bot.slack.blocks import kudos as kudos_blocks
from bot.slack.blocks.home import RECENT_KUDOS, home_view, unavailable_view
from bot.slack.blocks.training import home_section as training_section
from bot.store.db import database_failed
from handlers import replies


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
        found = training.progress(deskmate.engine, user_id)
    except SQLAlchemyError as error:
        database_failed(logger, "read App Home", error)
        view = unavailable_view(replies.SORRY_DATABASE)
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
