"""Block Kit for `/answer`, as pure functions: an article in, a list of block dicts out.

Everything is escaped and cut to Slack's limits by the pieces in bot.slack.blocks.base, so
a long article can never make Slack reject the whole message.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence

from bot.answer import MAX_QUERY_CHARS
from bot.reviews import review_overdue
from bot.slack.blocks.base import (
    FALLBACK_CHARS,
    MESSAGE_BLOCKS,
    SECTION_CHARS,
    VALUE_CHARS,
    Blocks,
    block_quote,
    button,
    context,
    escape,
    fit,
    header,
    quote,
    section,
    show_date,
)
from knowledge.article import Article
from knowledge.search import Hit

SHARE = "answer_share"
OTHER_MATCHES = "answer_other_matches"
OPEN = "answer_open"  # a list of several gets answer_open_0, answer_open_1, ...
HELPFUL = "answer_helpful"
NOT_HELPFUL = "answer_not_helpful"
SUGGEST_EDIT = "answer_suggest_edit"

# A page written as guidance (no script) is shown as written, in as many sections as this at
# most: a long page still leaves room in the message for the rest of the card.
GUIDANCE_SECTIONS = 6
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)[\s#]*$")
_BULLET = re.compile(r"^\s*[-*+]\s+")

EXAMPLES = (
    "council tax discount living alone",
    "ctr apply",
    "skip permit",
)


def button_value(article_id: str, query: str | None = None, *, teach: bool = False) -> str:
    """What a button carries: the article, and the query when the action searches again.
    `teach`: pressing it teaches the query as a phrasing of the article (the CSR chose it
    over what search put first)."""
    data: dict[str, object] = {"id": article_id}
    if query:
        data["q"] = query
        if teach:
            data["t"] = 1
    value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    while len(value) > VALUE_CHARS and data.get("q"):
        # JSON escapes can lengthen a 500-character query; drop its tail rather than fail,
        # and teach nothing: half a question is not a phrasing.
        data["q"] = data["q"][: len(data["q"]) * 9 // 10]
        data.pop("t", None)
        value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return value


def read_value(value: str) -> tuple[str, str | None]:
    """(article id, query) from a button's value."""
    article_id, query, _ = read_teaching(value)
    return article_id, query


def read_teaching(value: str) -> tuple[str, str | None, bool]:
    """(article id, query, whether pressing it teaches the query) from a button's value."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return value, None, False
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return str(value), None, False
    query = data.get("q") if isinstance(data.get("q"), str) else None
    return data["id"], query, bool(query) and data.get("t") == 1


# -- building blocks --------------------------------------------------------------------


# -- the answer card --------------------------------------------------------------------


def _facts(facts: Sequence[str], limit: int = SECTION_CHARS) -> str:
    lines = ["*Key facts*"]
    used = len(lines[0])
    reserve = len(f"\n…and {len(facts)} more")  # room to say how many were left out
    for number, fact in enumerate(facts):
        line = "• " + fit(escape(fact), limit // 2)
        last = number == len(facts) - 1
        if used + 1 + len(line) + (0 if last else reserve) > limit:
            lines.append(f"…and {len(facts) - number} more")
            break
        lines.append(line)
        used += 1 + len(line)
    return "\n".join(lines)


def review_line(article: Article, today: dt.date) -> str:
    owner = f"Owner: {escape(article.owner)}" if article.owner else "No owner set"
    if article.reviewed is None:
        return f"{owner} · :warning: *Review overdue*: never reviewed"
    reviewed = show_date(article.reviewed)
    if review_overdue(article.reviewed, today):
        return f"{owner} · :warning: *Review overdue*: last reviewed {reviewed}"
    return f"{owner} · Last reviewed {reviewed}"


def _as_written(body: str) -> list[str]:
    """A guidance page in mrkdwn, as written (headings in bold, bullets as bullets, blank
    lines kept single), in sections that each fit Slack; the last ends in an ellipsis when
    the page goes on beyond GUIDANCE_SECTIONS of them."""
    lines: list[str] = []
    for raw in body.strip().splitlines():
        if heading := _HEADING.match(raw):
            line = f"*{escape(heading.group(1))}*"
        elif bullet := _BULLET.match(raw):
            line = "• " + escape(raw[bullet.end() :].strip())
        else:
            line = escape(raw.strip())
        if line or (lines and lines[-1]):
            lines.append(fit(line, SECTION_CHARS))
    sections = [""]
    for line in lines:
        if len(sections[-1]) + 1 + len(line) > SECTION_CHARS:
            sections.append("")
        sections[-1] = f"{sections[-1]}\n{line}" if sections[-1] else line
    sections = [text.strip("\n") for text in sections if text.strip()]
    if len(sections) > GUIDANCE_SECTIONS:
        sections = sections[:GUIDANCE_SECTIONS]
        sections[-1] = fit(sections[-1] + "\n…", SECTION_CHARS)
    return sections or ["_This article has no text._"]


def says_now(article: Article, limit: int) -> str:
    """What the card shows first, as a mrkdwn block quote: the script to read out, or a
    page's opening as written (a guidance page has no script)."""
    if article.say:
        return quote(article.say, limit)
    return block_quote(_as_written(article.body)[0], limit)


def article_blocks(article: Article, *, today: dt.date) -> Blocks:
    """The article itself: title, the script to read out, key facts, next step, review; or,
    for a page written otherwise, its script (if it has one) and the rest as written."""
    blocks = [header(article.title)]
    # Each part is read off the body anew: read once here.
    say, next_step, unsaid = article.say, article.next_step, article.unsaid
    if say:
        blocks.append(section("*Say:*\n" + quote(say, SECTION_CHARS - 8)))
    if article.scripted and (say or next_step):
        if facts := article.facts:
            blocks.append(section(_facts(facts)))
        if next_step:
            blocks.append(section("*Next step:* " + escape(next_step)))
    elif unsaid or not say:
        # Its opening lines, steps, headings and notes say as much as its bullets, and a
        # bullet under a numbered step means little on its own: nothing is left out (an
        # empty page says it has no text).
        blocks += [section(text) for text in _as_written(unsaid)]
    blocks.append(context(review_line(article, today)))
    return blocks


def card_text(article: Article) -> str:
    """The plain fallback Slack shows in notifications and to screen readers."""
    # The script, or a guidance page's first line of text (not a heading or a bullet).
    lead = article.say or next(
        (
            line.strip()
            for line in article.body.splitlines()
            if line.strip() and not _HEADING.match(line) and not _BULLET.match(line)
        ),
        None,
    )
    text = article.title + (f": {lead}" if lead else "")
    return fit(escape(text), FALLBACK_CHARS)


def answer_card(
    article: Article,
    *,
    query: str,
    today: dt.date,
    truncated: bool = False,
    teach: bool = False,
) -> Blocks:
    """The private answer card with its buttons. `teach`: the CSR chose this article over
    search's first answer, so sharing it or marking it Helpful teaches search the query."""
    blocks: Blocks = []
    if truncated:
        blocks.append(context(truncation_note()))
    blocks += article_blocks(article, today=today)
    blocks.append(context(f"You searched for “{escape(query)}”", verbatim=True))
    value = button_value(article.id)
    chosen = button_value(article.id, query, teach=True) if teach else value
    blocks.append(
        {
            "type": "actions",
            "block_id": "answer_buttons",
            "elements": [
                button("Share in channel", SHARE, chosen, style="primary"),
                button("Other matches", OTHER_MATCHES, button_value(article.id, query)),
                button("Helpful", HELPFUL, chosen),
                button("Not helpful", NOT_HELPFUL, value),
                button("Suggest an edit", SUGGEST_EDIT, value),
            ],
        }
    )
    return blocks


def shared_card(article: Article, *, user_id: str, today: dt.date) -> Blocks:
    """The card as posted in a channel: the same article, credited, without the buttons
    (feedback belongs to the CSR who searched) and without the caller's words."""
    return [*article_blocks(article, today=today), context(f"Shared by <@{user_id}>")]


def truncation_note() -> str:
    return (
        f":scissors: Your text was over {MAX_QUERY_CHARS} characters, so I searched on "
        f"the first {MAX_QUERY_CHARS}."
    )


# -- other replies ----------------------------------------------------------------------


def _open_buttons(hits: Sequence[Hit], query: str) -> dict:
    return {
        "type": "actions",
        "block_id": "answer_closest",
        "elements": [
            button(hit.article.title, f"{OPEN}_{number}", button_value(hit.article.id, query))
            for number, hit in enumerate(hits[:25])
        ],
    }


def no_match(query: str, closest: Sequence[Hit], *, truncated: bool = False) -> Blocks:
    """No confident answer: say so, offer the nearest titles, say the gap is noted."""
    blocks: Blocks = []
    if truncated:
        blocks.append(context(truncation_note()))
    blocks.append(
        section(
            f"I couldn't find a confident answer for “{escape(query)}”.",
            verbatim=True,
        )
    )
    if closest:
        blocks.append(section("The closest articles are:"))
        blocks.append(_open_buttons(closest, query))
    else:
        blocks.append(
            section("Nothing comes close. Try other words, such as the name of the service.")
        )
    blocks.append(context("I've noted this as a gap so the knowledge base can be improved."))
    return blocks


def no_match_text(query: str) -> str:
    return fit(f"I couldn't find a confident answer for “{escape(query)}”.", FALLBACK_CHARS)


def other_matches(query: str, hits: Sequence[Hit], *, confident: bool = True) -> Blocks:
    """The next best articles for `query`, each with a button that shows its card."""
    q = escape(query)
    if not hits:
        return [section(f"No other articles come close to “{q}”.", verbatim=True)]
    heading = (
        f"*Other matches for “{q}”*"
        if confident
        else f"No other confident matches for “{q}”. The nearest are:"
    )
    blocks: Blocks = [section(heading, verbatim=True)]
    for hit in hits[: MESSAGE_BLOCKS - 1]:
        article = hit.article
        blocks.append(
            section(
                f"*{escape(article.title)}*\n{escape(article.category.capitalize())}",
                accessory=button("Show", OPEN, button_value(article.id, query)),
            )
        )
    return blocks


def usage() -> Blocks:
    examples = "\n".join(f"• `/answer {example}`" for example in EXAMPLES)
    return [
        section(
            "Type what the caller asked after `/answer` and I'll show you the approved "
            f"answer, privately. For example:\n{examples}"
        )
    ]


USAGE_TEXT = "Type what the caller asked after /answer, for example: /answer " + EXAMPLES[0]
