"""Block Kit for `/reports`: the gaps (searches nothing answered, each with a menu to link
the right article) and the feedback on articles, packed within Slack's limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.reports import DAYS, FeedbackReport, Gap, Unhelpful, Waiting, Window
from bot.slack.blocks.base import (
    FALLBACK_CHARS,
    SECTION_CHARS,
    Blocks,
    context,
    escape,
    fit,
    header,
    quote,
    section,
    show_date,
)
from knowledge.article import Article

COMMAND = "/reports"


REPORTS = ("gaps", "feedback", "cse")


# The most asked, one block each with its menu: with the heading, summary and "…and N
# more", inside Slack's 50 blocks. A working list, not an archive.
GAPS_LISTED = 45


LINK_GAP = "gap_link"


GAP_BLOCK = "gap:"  # each gap's block is gap:<the id of its latest search in the log>


OPTION_CHARS = 75  # an option's label


OPTION_VALUE_CHARS = 150  # an option's value: the article id


ARTICLES_LISTED = 25  # per list in the feedback report


SECTIONS = 10  # per list: with the headings, well inside Slack's 50 blocks


QUERY_CHARS = 300


SAID_CHARS = 300  # a reason or a suggested edit, as quoted


SAID_SHOWN = 3  # the newest few reasons or suggestions per article


USAGE = (
    "*Reports for supervisors*, shown only to you:\n"
    "• `/reports gaps [week|month]`: what CSRs searched for most and found no confident "
    "answer to, for the knowledge base team to work from\n"
    "• `/reports feedback [week|month]`: articles marked Not helpful, with the reasons and "
    "owners, and the suggested edits waiting for review\n"
    "• `/reports cse [month|quarter|year]`: the Customer Service Excellence evidence pack, "
    "a printable page sent to you as a direct message (the last quarter by default)\n"
    f"`week` is the last {DAYS['week']} days (the default), `month` the last "
    f"{DAYS['month']}, `quarter` {DAYS['quarter']} and `year` {DAYS['year']}, today included."
)


TRY = (
    "Try `/reports gaps`, `/reports feedback` or `/reports cse`, with `week`, `month`, "
    "`quarter` or `year` after it."
)


def _times(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _day(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return show_date(moment.astimezone(tz).date())


def _said(text: str) -> str:
    """Something a CSR wrote, on one quoted line, escaped and cut short."""
    return quote(" ".join(text.split()), SAID_CHARS)


def _period(window: Window) -> str:
    return f"the last {window.days} days ({show_date(window.first)} to {show_date(window.last)})"


def packed(items: Sequence[str], *, total: int, more: str, between: str = "\n") -> Blocks:
    """`items` (escaped mrkdwn, the first of `total`) in as few sections as hold them, at
    most SECTIONS, `between` each two; those left off are counted in a last line,
    "…and N more <more>s"."""
    blocks: Blocks = []
    lines: list[str] = []
    used = shown = 0
    for item in items:
        item = fit(item, SECTION_CHARS)
        if lines and used + len(between) + len(item) > SECTION_CHARS:
            blocks.append(section(between.join(lines), verbatim=True))
            lines, used = [], 0
            if len(blocks) == SECTIONS:
                break
        used += len(item) + (len(between) if lines else 0)
        lines.append(item)
        shown += 1
    if lines:
        blocks.append(section(between.join(lines), verbatim=True))
    if total > shown:
        blocks.append(context(f"…and {_times(total - shown, 'more ' + more)}"))
    return blocks


def gap_line(number: int, gap: Gap, tz: dt.tzinfo) -> str:
    return (
        f"{number}. “{fit(escape(gap.query), QUERY_CHARS)}”: "
        f"{_times(gap.count, 'search', 'searches')} by {_times(gap.people, 'person', 'people')}, "
        f"last {_day(gap.last, tz)}"
    )


def gap_row(number: int, gap: Gap, tz: dt.tzinfo) -> dict:
    """One gap, with a menu to link it to an article when its search is in the log."""
    block = section(gap_line(number, gap, tz), verbatim=True)
    if gap.search_id is not None:
        block["block_id"] = f"{GAP_BLOCK}{gap.search_id}"
        block["accessory"] = {
            "type": "external_select",
            "action_id": LINK_GAP,
            "placeholder": {"type": "plain_text", "text": "Link to an article"},
            "min_query_length": 0,  # opened empty, it offers the articles nearest the gap
        }
    return block


def gaps_report(gaps: list[Gap], window: Window, *, tz: dt.tzinfo) -> tuple[str, Blocks]:
    """(fallback text, blocks): the most asked questions without a confident answer."""
    searches = sum(gap.count for gap in gaps)
    title = f"Knowledge gaps, last {window.days} days"
    blocks: Blocks = [header(title)]
    if not gaps:
        text = f"No searches went without a confident answer in {_period(window)}."
        return text, [*blocks, section(text)]
    summary = (
        f"{_times(searches, 'search', 'searches')} found no confident answer in "
        f"{_period(window)}: {_times(len(gaps), 'different question')}. Most asked first; "
        "callers' details were removed before the searches were stored. Link a question to "
        "the article that answers it and `/answer` will know it next time."
    )
    blocks.append(context(summary))
    blocks += [gap_row(n, gap, tz) for n, gap in enumerate(gaps[:GAPS_LISTED], 1)]
    if len(gaps) > GAPS_LISTED:
        blocks.append(context(f"…and {_times(len(gaps) - GAPS_LISTED, 'more question')}"))
    text = f"{title}: {_times(len(gaps), 'different question')}"
    return fit(text, FALLBACK_CHARS), blocks


def _article(article_id: str, title: str | None, owner: str | None) -> str:
    if title is None:
        return f"*{escape(article_id)}* (no longer in the knowledge base)"
    return f"*{escape(title)}* · " + (f"Owner: {escape(owner)}" if owner else "No owner set")


def _rest(shown: int, total: int, what: str) -> list[str]:
    return [f"…and {_times(total - shown, 'more ' + what)}"] if total > shown else []


def unhelpful_item(item: Unhelpful, tz: dt.tzinfo) -> str:
    counts = f"Not helpful {_times(item.count, 'time')}, last {_day(item.last, tz)}"
    if item.helpful:
        counts += f" · Helpful {_times(item.helpful, 'time')}"
    said = [_said(reason) for reason in item.reasons[:SAID_SHOWN]] or ["_No reasons given._"]
    rest = _rest(min(len(item.reasons), SAID_SHOWN), len(item.reasons), "reason")
    return "\n".join([_article(item.article_id, item.title, item.owner), counts, *said, *rest])


def waiting_item(item: Waiting, tz: dt.tzinfo) -> str:
    count = len(item.suggestions)
    latest = _day(item.suggestions[0].created_at, tz)
    lines = [
        _article(item.article_id, item.title, item.owner),
        f"{_times(count, 'suggested edit')} waiting, the latest {latest}",
    ]
    for suggested in item.suggestions[:SAID_SHOWN]:
        lines.append(f"<@{suggested.user_id}>, {_day(suggested.created_at, tz)}:")
        lines.append(_said(suggested.text))
    return "\n".join([*lines, *_rest(min(count, SAID_SHOWN), count, "suggestion")])


def feedback_report(report: FeedbackReport, window: Window, *, tz: dt.tzinfo) -> tuple[str, Blocks]:
    """(fallback text, blocks): articles marked Not helpful in the window, then every
    suggested edit still waiting for its article's review."""
    title = f"Feedback on answers, last {window.days} days"
    blocks: Blocks = [header(title)]
    unhelpful, waiting = report.unhelpful, report.waiting
    if unhelpful:
        marks = sum(item.count for item in unhelpful)
        blocks.append(
            section(
                f"*Marked Not helpful* in {_period(window)}: "
                f"{_times(len(unhelpful), 'article')}, {_times(marks, 'time')}. Most first."
            )
        )
        items = [unhelpful_item(item, tz) for item in unhelpful[:ARTICLES_LISTED]]
        blocks += packed(items, total=len(unhelpful), more="article", between="\n\n")
    else:
        blocks.append(section(f"No answers were marked Not helpful in {_period(window)}."))
    blocks.append({"type": "divider"})
    if waiting:
        count = sum(len(item.suggestions) for item in waiting)
        blocks.append(
            section(
                "*Suggested edits waiting*, of any age (made since their article was last "
                f"reviewed): {_times(count, 'suggestion')} on {_times(len(waiting), 'article')}. "
                "Most first."
            )
        )
        items = [waiting_item(item, tz) for item in waiting[:ARTICLES_LISTED]]
        blocks += packed(items, total=len(waiting), more="article", between="\n\n")
    else:
        blocks.append(section("No suggested edits are waiting."))
    text = (
        f"{title}: {_times(len(unhelpful), 'article')} marked Not helpful, "
        f"{_times(len(waiting), 'article')} with suggested edits waiting"
    )
    return fit(text, FALLBACK_CHARS), blocks


def option(article: Article) -> dict:
    title = article.title if len(article.title) <= OPTION_CHARS else article.title[:74] + "…"
    return {"text": {"type": "plain_text", "text": title}, "value": article.id}
