"""Block Kit for the review reminders: each article to look at with a "Mark reviewed" button,
and the phrasings search has learned for it with a menu to remove a wrong one; long lists
split over several messages."""

from __future__ import annotations

import datetime as dt

from bot.phrasings import phrasing_key
from bot.reviews import ReviewItem
from bot.slack.blocks.base import (
    MESSAGE_BLOCKS,
    Blocks,
    button,
    context,
    escape,
    fit,
    header,
    section,
    show_date,
)

MARK_REVIEWED = "review_mark"


REMOVE_PHRASING = "review_phrasing_remove"


BLOCK_PREFIX = "review:"  # each article's section is review:<article id>


PHRASINGS_PREFIX = "phrasings:"  # and its phrasings', if it has any, phrasings:<article id>


PER_MESSAGE = 40  # articles per message


PHRASINGS_SHOWN = 5  # the newest, each with its Remove option (an overflow menu holds five)


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
