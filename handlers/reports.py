"""`/reports`, for supervisors only: the knowledge gaps (what CSRs searched for and found no
confident answer to) and feedback on answers (Not helpful marks and suggested edits waiting),
privately in the acknowledgement. The figures come from bot.reports; this renders them.

Each gap has a menu to link it to the article that answers it, which teaches search the
question as a phrasing of that article (bot.phrasings). The menu is an `external_select`
that searches the knowledge base as the supervisor types: a `static_select` holds at most 100
options, fewer articles than most knowledge bases have, and 45 menus of them would make the
message enormous. Opened before anything is typed, it offers the articles nearest the gap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from logging import Logger
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import SQLAlchemyError

from bot import phrasings, reports
from bot.phrasings import Change, Outcome
from bot.reports import DAYS, FeedbackReport, Gap, Unhelpful, Waiting, Window
from bot.slack.blocks.answer import (
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
from handlers import auth, replies
from handlers.phrasings import linked
from knowledge.article import Article
from knowledge.search import SearchIndex

if TYPE_CHECKING:  # bot.app imports handlers to register them
    from bot.entry.app import Deskmate

COMMAND = "/reports"
REPORTS = ("gaps", "feedback")
# The most asked, one block each with its menu: with the heading, summary and "…and N
# more", inside Slack's 50 blocks. A working list, not an archive.
GAPS_LISTED = 45
LINK_GAP = "gap_link"
GAP_BLOCK = "gap:"  # each gap's block is gap:<the id of its latest search in the log>
OPTIONS = 30  # articles offered in a link menu at a time (Slack takes at most 100)
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
    f"`week` is the last {DAYS['week']} days (the default), `month` the last "
    f"{DAYS['month']}, today included."
)
TRY = "Try `/reports gaps`, `/reports feedback`, or either with `week` or `month` after it."


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


# -- knowledge gaps -------------------------------------------------------------------------


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


# -- feedback on answers ----------------------------------------------------------------------


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


# -- the command ------------------------------------------------------------------------------


def reports_command(ack: Ack, body: dict, context: BoltContext, logger: Logger) -> None:
    deskmate: Deskmate = context["deskmate"]
    refused = auth.refusal(
        deskmate.settings,
        body["user_id"],
        to="see the reports (knowledge gaps and feedback on answers)",
    )
    if refused:  # before anything is read
        replies.private(ack, refused)
        return
    words = (body.get("text") or "").lower().split()
    if not words or words == ["help"]:
        replies.private(ack, USAGE)
        return
    if words[0] not in REPORTS or len(words) > 2 or (len(words) == 2 and words[1] not in DAYS):
        replies.private(ack, TRY)
        return
    tz = deskmate.settings.tz
    window = reports.window(words[1] if len(words) == 2 else "week", now=deskmate.clock(), tz=tz)
    try:
        if words[0] == "gaps":
            found = reports.gaps(deskmate.engine, start=window.start, end=window.end)
            text, blocks = gaps_report(found, window, tz=tz)
        else:
            report = reports.feedback(deskmate.engine, start=window.start, end=window.end, tz=tz)
            text, blocks = feedback_report(report, window, tz=tz)
    except SQLAlchemyError as error:
        replies.database_failed(logger, f"read the {words[0]} report", error)
        replies.private(ack, replies.SORRY_DATABASE)
        return
    ack(response_type="ephemeral", text=text, blocks=blocks)


# -- linking a gap to an article ----------------------------------------------------------------


def _search_id(block_id: str | None) -> int | None:
    number = (block_id or "").removeprefix(GAP_BLOCK)
    return int(number) if (block_id or "").startswith(GAP_BLOCK) and number.isdigit() else None


def _option(article: Article) -> dict:
    title = article.title if len(article.title) <= OPTION_CHARS else article.title[:74] + "…"
    return {"text": {"type": "plain_text", "text": title}, "value": article.id}


def article_options(index: SearchIndex, typed: str, *, near: str = "") -> list[dict]:
    """Articles for a link menu. With something `typed`: those whose title holds it (a title
    is typed from its start, a word at a time), then the nearest to it by search. With
    nothing typed: those nearest `near` (the gap's question), then the rest by title."""
    typed = " ".join(typed.split())
    if typed:
        fold = typed.casefold()
        articles = [a for a in index.articles if fold in a.title.casefold()]
        articles += [hit.article for hit in index.closest(phrasings.clean(typed), OPTIONS)]
    else:
        articles = [hit.article for hit in index.closest(near, OPTIONS)] if near else []
        articles += sorted(index.articles, key=lambda article: article.title.casefold())
    chosen: dict[str, Article] = {}
    for article in articles:
        # An id too long for an option's value could never be chosen: Slack refuses the list.
        if len(article.id) <= OPTION_VALUE_CHARS:
            chosen.setdefault(article.id, article)
        if len(chosen) == OPTIONS:
            break
    return [_option(article) for article in chosen.values()]


def gap_options(ack: Ack, body: dict, context: BoltContext, logger: Logger) -> None:
    """The articles a link menu offers: those matching what the supervisor typed, or, before
    they type, those nearest the gap's question (read from the log by its block)."""
    deskmate: Deskmate = context["deskmate"]
    typed, near = body.get("value") or "", ""
    if not typed.strip() and (search_id := _search_id(body.get("block_id"))) is not None:
        try:
            near = phrasings.clean(phrasings.search_query(deskmate.engine, search_id) or "")
        except SQLAlchemyError as error:  # the menu still opens, on the titles in order
            replies.database_failed(logger, "read a knowledge gap's search", error)
    ack(options=article_options(deskmate.search_index, typed, near=near))


def link_gap(ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger) -> None:
    """Link the gap to the article chosen in its menu: its question becomes a phrasing of
    the article. Supervisors only; anyone else is told so and nothing is stored."""
    ack()
    deskmate: Deskmate = context["deskmate"]
    refused = auth.refusal(
        deskmate.settings, body["user"]["id"], to="link a knowledge gap to an article"
    )
    if refused:
        replies.tell(respond, logger, refused)
        return
    action = body["actions"][0]
    search_id = _search_id(action.get("block_id"))
    article_id = (action.get("selected_option") or {}).get("value") or ""
    try:
        change = (
            Change(Outcome.NO_SEARCH)
            if search_id is None
            else phrasings.link_search(
                deskmate.engine, search_id=search_id, article_id=article_id, now=deskmate.clock()
            )
        )
    except SQLAlchemyError as error:
        replies.database_failed(logger, "link a knowledge gap to an article", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    retention = deskmate.settings.logs.retention_days
    replies.tell(respond, logger, linked(change, retention_days=retention))


def register(app: App) -> None:
    app.command(COMMAND)(reports_command)
    app.options(LINK_GAP)(gap_options)
    app.action(LINK_GAP)(link_gap)
