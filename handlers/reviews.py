"""Review reminders in the article owners' channels: each article to look at with a
"Mark reviewed" button, and the phrasings search has learned for it with a menu to remove a
wrong one. Only supervisors and the reviewers named in `app.yaml` may do either
(handlers.auth); anyone else is told so privately and nothing changes. Who marked it is
recorded."""

from __future__ import annotations

import datetime as dt
from logging import Logger
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import SQLAlchemyError

from bot import phrasings
from bot.phrasings import Outcome, phrasing_key
from bot.reviews import ReviewItem
from bot.slack.blocks.answer import Blocks, button, context, escape, fit, header, section, show_date
from bot.store import kb
from handlers import auth, replies

if TYPE_CHECKING:  # bot.app imports handlers to register them
    from bot.entry.app import Deskmate

MARK_REVIEWED = "review_mark"
REMOVE_PHRASING = "review_phrasing_remove"
BLOCK_PREFIX = "review:"  # each article's section is review:<article id>
PHRASINGS_PREFIX = "phrasings:"  # and its phrasings', if it has any, phrasings:<article id>
PER_MESSAGE = 40  # articles per message
MESSAGE_BLOCKS = 50  # Slack's limit; an article with phrasings takes two
PHRASINGS_SHOWN = 5  # the newest, each with its Remove option (an overflow menu holds five)
GONE = "That article is no longer in the knowledge base, so there is nothing to mark."
GONE_PHRASING = "That article is no longer in the knowledge base, so there is nothing to remove."
REMOVED_ALREADY = "That phrasing has been removed already."


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
    if item.taught:
        parts.append(f"learned a new phrasing since {show_date(since)}")
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
            "Past their review date (more than 12 months), or marked Not helpful or given a "
            f"new phrasing since {show_date(since)}. Supervisors and article reviewers can mark "
            "one reviewed once it is checked, and remove a learned phrasing that is wrong."
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
        if item.phrasings:
            view.append(phrasings_block(item.article_id, item.phrasings))
    return fit(escape(text), 3_000), view


def pages(items: list[ReviewItem]) -> list[tuple[int, list[ReviewItem]]]:
    """One owner's items split into messages within Slack's block limit, each with the
    index of its first item (which names its post, so a retry sends the same ones)."""
    head = 2  # the header and the context line
    found: list[tuple[int, list[ReviewItem]]] = []
    page: list[ReviewItem] = []
    used, start = head, 0
    for number, item in enumerate(items):
        size = 2 if item.phrasings else 1
        if page and (len(page) == PER_MESSAGE or used + size > MESSAGE_BLOCKS):
            found.append((start, page))
            page, used, start = [], head, number
        page.append(item)
        used += size
    if page:
        found.append((start, page))
    return found


def _quoted(phrasing: str, limit: int) -> str:
    return f"“{phrasing if len(phrasing) <= limit else phrasing[: limit - 1] + '…'}”"


def phrasings_block(article_id: str, newest_first: tuple[str, ...], *, note: str = "") -> dict:
    """An article's learned phrasings, the newest few with a menu to remove one; `note`
    (mrkdwn) says what was just done."""
    count = len(newest_first)
    shown = newest_first[:PHRASINGS_SHOWN]
    lines = []
    if shown:
        many = "phrasing" if count == 1 else "phrasings"
        lines.append(f"*{count} learned {many}*" + (", the newest:" if count > len(shown) else ":"))
        lines += [f"• {escape(_quoted(phrasing, 200))}" for phrasing in shown]
        if count > len(shown):
            lines.append(f"…and {count - len(shown)} more")
    lines += [note] if note else []
    block = section("\n".join(lines) or "_No learned phrasings._")
    block["block_id"] = fit(PHRASINGS_PREFIX + article_id, 255)
    if shown:
        block["accessory"] = {
            "type": "overflow",
            "action_id": REMOVE_PHRASING,
            "options": [
                {
                    "text": {"type": "plain_text", "text": "Remove " + _quoted(phrasing, 60)},
                    "value": phrasing_key(phrasing),
                }
                for phrasing in shown
            ],
        }
    return block


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
        replies.database_failed(logger, "remove a learned phrasing", error)
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
