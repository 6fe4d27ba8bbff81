"""Review reminders in the article owners' channels: each article to look at with a
"Mark reviewed" button. Only supervisors and the reviewers named in `app.yaml` may press it
(handlers.auth); anyone else is told so privately and nothing changes. Who marked it is
recorded."""

from __future__ import annotations

import datetime as dt
from logging import Logger
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import SQLAlchemyError

from bot import kb
from bot.reviews import ReviewItem
from handlers import auth, replies
from handlers.blocks import Blocks, button, context, escape, fit, header, section, show_date

if TYPE_CHECKING:  # bot.app imports handlers to register them
    from bot.app import Deskmate

MARK_REVIEWED = "review_mark"
BLOCK_PREFIX = "review:"  # each article's section is review:<article id>
PER_MESSAGE = 40  # articles per message, well inside Slack's 50 blocks
GONE = "That article is no longer in the knowledge base, so there is nothing to mark."


def _why(item: ReviewItem, since: dt.date) -> str:
    parts = []
    if item.overdue:
        if item.reviewed is None:
            parts.append("never reviewed")
        else:
            parts.append(f"last reviewed {show_date(item.reviewed)}, over 12 months ago")
    if item.not_helpful:
        times = "once" if item.not_helpful == 1 else f"{item.not_helpful} times"
        parts.append(f"marked Not helpful {times} since {show_date(since)}")
    line = "; ".join(parts)
    line = line[:1].upper() + line[1:]
    for reason in item.reasons:
        line += f"\n>{escape(fit(' '.join(reason.split()), 300))}"
    return line


def reminder(owner: str | None, items: list[ReviewItem], *, since: dt.date) -> tuple[str, Blocks]:
    """(fallback text, blocks) for one owner's articles (at most PER_MESSAGE)."""
    who = owner or "articles with no owner"
    count = "1 article" if len(items) == 1 else f"{len(items)} articles"
    text = f"Articles to review for {who}: {count}"
    view = [
        header(f"Articles to review: {who}"),
        context(
            "Past their review date (more than 12 months) or marked Not helpful since "
            f"{show_date(since)}. Supervisors and article reviewers can mark one reviewed "
            "once it is checked."
        ),
    ]
    for item in items:
        view.append(
            section(
                f"*{escape(item.title)}*\n{_why(item, since)}",
                accessory=button("Mark reviewed", MARK_REVIEWED, item.article_id),
            )
            | {"block_id": fit(BLOCK_PREFIX + item.article_id, 255)}
        )
    return fit(escape(text), 3_000), view


def marked(message_blocks: Blocks, article_id: str, *, user_id: str, day: dt.date) -> Blocks:
    """The reminder's blocks with this article's button replaced by who marked it when."""
    updated = []
    for block in message_blocks:
        if block.get("block_id") == fit(BLOCK_PREFIX + article_id, 255):
            block = {key: value for key, value in block.items() if key != "accessory"}
            text = block["text"]["text"].split("\n", 1)[0]
            block["text"] = {
                "type": "mrkdwn",
                "text": f"{text}\n:white_check_mark: Reviewed {show_date(day)} by <@{user_id}>",
            }
        updated.append(block)
    return updated


def mark_reviewed(ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger):
    ack()
    deskmate: Deskmate = context["deskmate"]
    article_id = body["actions"][0].get("value", "")
    user_id = body["user"]["id"]
    refused = auth.refusal(
        deskmate.settings, user_id, to="mark an article as reviewed", reviewers=True
    )
    if refused:
        replies.tell(respond, logger, refused)  # below the reminder, which stays as it is
        return
    today = deskmate.today()
    try:
        found = kb.mark_reviewed(deskmate.engine, article_id, day=today, user_id=user_id)
    except SQLAlchemyError as error:
        replies.database_failed(logger, "mark an article reviewed", error)
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


def register(app: App) -> None:
    app.action(MARK_REVIEWED)(mark_reviewed)
