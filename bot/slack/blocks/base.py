"""The pieces every Block Kit message is made of, as pure functions: escaped text, cut to
Slack's limits, sections, context lines, headers and buttons.

Everything typed by a user or written in an article is escaped (`&`, `<`, `>`) so it can
neither ping anyone nor turn into a link, and cut to Slack's limits so a long text can never
make Slack reject the whole message.
"""

from __future__ import annotations

import datetime as dt

# Slack's Block Kit limits.
SECTION_CHARS = 3_000
HEADER_CHARS = 150
BUTTON_CHARS = 75
VALUE_CHARS = 2_000
MESSAGE_BLOCKS = 50
FALLBACK_CHARS = 3_000

Blocks = list[dict]


def escape(text: str) -> str:
    """Text shown as itself in mrkdwn: no mentions, links or broken entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """`text` (already escaped) cut to `limit` characters with an ellipsis, never in the
    middle of an `&amp;`-style entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def quote(text: str, limit: int = SECTION_CHARS) -> str:
    """User or script text as a mrkdwn block quote, escaped and cut to fit."""
    return block_quote(escape(text.strip()), limit)


def block_quote(mrkdwn: str, limit: int = SECTION_CHARS) -> str:
    """Text already in mrkdwn (escaped) as a block quote, cut to fit."""
    return fit("\n".join(f">{line}" for line in mrkdwn.splitlines() or [""]), limit)


def show_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def mrkdwn(text: str, *, verbatim: bool = False) -> dict:
    # verbatim: Slack leaves "@here", "#channel" and bare URLs in user text as typed.
    obj = {"type": "mrkdwn", "text": text}
    if verbatim:
        obj["verbatim"] = True
    return obj


def section(text: str, *, verbatim: bool = False, accessory: dict | None = None) -> dict:
    block = {"type": "section", "text": mrkdwn(fit(text, SECTION_CHARS), verbatim=verbatim)}
    if accessory:
        block["accessory"] = accessory
    return block


def context(text: str, *, verbatim: bool = False) -> dict:
    return {"type": "context", "elements": [mrkdwn(fit(text, SECTION_CHARS), verbatim=verbatim)]}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": fit(text, HEADER_CHARS)}}


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> dict:
    element = {
        "type": "button",
        "text": {"type": "plain_text", "text": fit(label, BUTTON_CHARS), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def notice(text: str) -> Blocks:
    """A one-line reply; `text` is already escaped where it holds user text."""
    return [section(text, verbatim=True)]
