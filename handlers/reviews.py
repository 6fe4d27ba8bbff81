"""Review reminders in the article owners' channels: each article to look at with a
"Mark reviewed" button, and the phrasings search has learned for it with a menu to remove a
wrong one. Only supervisors and the reviewers named in `app.yaml` may do either
(handlers.auth); anyone else is told so privately and nothing changes. Who marked it is
recorded."""

from __future__ import annotations

from logging import Logger

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import SQLAlchemyError

from bot import phrasings
from bot.deskmate import Deskmate
from bot.phrasings import Outcome
from bot.slack.blocks.base import escape, show_date
from bot.slack.blocks.reviews import (
    MARK_REVIEWED,
    PHRASINGS_PREFIX,
    REMOVE_PHRASING,
    _quoted,
    marked,
    phrasings_block,
)
from bot.store import kb
from bot.store.db import database_failed
from handlers import auth, replies

GONE = "That article is no longer in the knowledge base, so there is nothing to mark."
GONE_PHRASING = "That article is no longer in the knowledge base, so there is nothing to remove."
REMOVED_ALREADY = "That phrasing has been removed already."


def _refused(deskmate: Deskmate, user_id: str, respond: Respond, logger: Logger, *, to: str):
    """Supervisors and reviewers only: anyone else is told so, below the reminder, which
    stays as it is."""
    refused = auth.refusal(deskmate.settings, user_id, to=to, reviewers=True)
    if refused:
        replies.tell(respond, logger, refused)
    return bool(refused)


def mark_reviewed(ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger):
    ack()
    deskmate: Deskmate = context["deskmate"]
    article_id = body["actions"][0].get("value", "")
    user_id = body["user"]["id"]
    if _refused(deskmate, user_id, respond, logger, to="mark an article as reviewed"):
        return
    today = deskmate.today()
    try:
        found = kb.mark_reviewed(deskmate.engine, article_id, day=today, user_id=user_id)
    except SQLAlchemyError as error:
        database_failed(logger, "mark an article reviewed", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    if not found:
        replies.tell(respond, logger, GONE)
        return
    message = body.get("message") or {}
    if not message.get("blocks"):
        replies.tell(respond, logger, f"Marked reviewed on {show_date(today)}.")
        return
    replies.reply(
        respond,
        logger,
        "update the review reminder",
        replace_original=True,
        text=message.get("text") or "Articles to review",
        blocks=marked(message["blocks"], article_id, user_id=user_id, day=today),
    )


def remove_phrasing(
    ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger
) -> None:
    """Remove the phrasing chosen in an article's menu, then show the reminder without it."""
    ack()
    deskmate: Deskmate = context["deskmate"]
    user_id = body["user"]["id"]
    if _refused(deskmate, user_id, respond, logger, to="remove a learned phrasing"):
        return
    action = body["actions"][0]
    block_id = action.get("block_id") or ""
    article_id = block_id.removeprefix(PHRASINGS_PREFIX)
    key = (action.get("selected_option") or {}).get("value") or ""
    try:
        change = phrasings.remove_phrasing(
            deskmate.engine, article_id=article_id, key=key, now=deskmate.clock()
        )
    except SQLAlchemyError as error:
        database_failed(logger, "remove a learned phrasing", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    if change.outcome is not Outcome.REMOVED:
        gone = change.outcome is Outcome.NO_ARTICLE
        replies.tell(respond, logger, GONE_PHRASING if gone else REMOVED_ALREADY)
        return
    removed = escape(_quoted(change.phrasing, 200))
    message = body.get("message") or {}
    if not message.get("blocks"):
        replies.tell(respond, logger, f"Removed {removed} from “{escape(change.title or '')}”.")
        return
    note = f":wastebasket: Removed {removed}, by <@{user_id}>"
    remaining = phrasings_block(article_id, tuple(reversed(change.remaining)), note=note)
    replies.reply(
        respond,
        logger,
        "update the review reminder",
        replace_original=True,
        text=message.get("text") or "Articles to review",
        blocks=[remaining if b.get("block_id") == block_id else b for b in message["blocks"]],
    )


def register(app: App) -> None:
    app.action(MARK_REVIEWED)(mark_reviewed)
    app.action(REMOVE_PHRASING)(remove_phrasing)
