"""`/reports`, for supervisors only: the knowledge gaps (what CSRs searched for and found no
confident answer to) and feedback on answers (Not helpful marks and suggested edits waiting),
privately in the acknowledgement. The figures come from bot.reports; this renders them.

Each gap has a menu to link it to the article that answers it, which teaches search the
question as a phrasing of that article (bot.phrasings). The menu is an `external_select`
that searches the knowledge base as the supervisor types: a `static_select` holds at most 100
options, fewer articles than most knowledge bases have, and 45 menus of them would make the
message enormous. Opened before anything is typed, it offers the articles nearest the gap."""

from __future__ import annotations

from logging import Logger

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot import phrasings, reports
from bot.cse.evidence import gather
from bot.cse.page import DEFAULT_CENTRE, render
from bot.deskmate import Deskmate
from bot.phrasings import Change, Outcome
from bot.reports import DAYS
from bot.slack.blocks.reports import (
    COMMAND,
    GAP_BLOCK,
    LINK_GAP,
    OPTION_VALUE_CHARS,
    REPORTS,
    TRY,
    USAGE,
    feedback_report,
    gaps_report,
    option,
)
from bot.slack.posting import SLACK_ERRORS, reason
from bot.store.db import database_failed
from handlers import auth, replies
from handlers.phrasings import linked
from knowledge.article import Article
from knowledge.search import SearchIndex

OPTIONS = 30  # articles offered in a link menu at a time (Slack takes at most 100)


# -- the command ------------------------------------------------------------------------------


def reports_command(
    ack: Ack,
    body: dict,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
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
    default = "quarter" if words[0] == "cse" else "week"
    window = reports.window(words[1] if len(words) == 2 else default, now=deskmate.clock(), tz=tz)
    if words[0] == "cse":
        ack(response_type="ephemeral", text=CSE_COMING)
        send_evidence(deskmate, client, respond, logger, user_id=body["user_id"], window=window)
        return
    try:
        if words[0] == "gaps":
            found = reports.gaps(deskmate.engine, start=window.start, end=window.end)
            text, blocks = gaps_report(found, window, tz=tz)
        else:
            report = reports.feedback(deskmate.engine, start=window.start, end=window.end, tz=tz)
            text, blocks = feedback_report(report, window, tz=tz)
    except SQLAlchemyError as error:
        database_failed(logger, f"read the {words[0]} report", error)
        replies.private(ack, replies.SORRY_DATABASE)
        return
    ack(response_type="ephemeral", text=text, blocks=blocks)


CSE_COMING = (
    "Putting the Customer Service Excellence evidence pack together: it will arrive as a "
    "direct message in a moment."
)
CSE_FAILED = "Sorry, I couldn't send you the evidence pack just now, please try again."


def send_evidence(
    deskmate: Deskmate,
    client: WebClient,
    respond: Respond,
    logger: Logger,
    *,
    user_id: str,
    window: reports.Window,
) -> None:
    """The evidence pack for `window`, as an HTML file in the supervisor's DM (never a
    channel: it holds each team's figures and customers' comments)."""
    settings = deskmate.settings
    try:
        evidence = gather(deskmate.engine, settings, start=window.first, end=window.last)
    except SQLAlchemyError as error:
        database_failed(logger, "gather the evidence pack", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    page = render(evidence, centre=DEFAULT_CENTRE, made=deskmate.clock().astimezone(settings.tz))
    try:
        dm = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=dm,
            content=page,
            filename=f"cse-evidence-{window.first}-to-{window.last}.html",
            title=f"Customer Service Excellence evidence, {evidence.period}",
            initial_comment="The evidence pack: open it in a browser to read or print it.",
        )
    except SLACK_ERRORS as error:
        logger.error("Could not send the evidence pack: %s", reason(error))
        replies.tell(respond, logger, CSE_FAILED)


# -- linking a gap to an article ----------------------------------------------------------------


def _search_id(block_id: str | None) -> int | None:
    number = (block_id or "").removeprefix(GAP_BLOCK)
    return int(number) if (block_id or "").startswith(GAP_BLOCK) and number.isdigit() else None


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
    return [option(article) for article in chosen.values()]


def gap_options(ack: Ack, body: dict, context: BoltContext, logger: Logger) -> None:
    """The articles a link menu offers: those matching what the supervisor typed, or, before
    they type, those nearest the gap's question (read from the log by its block)."""
    deskmate: Deskmate = context["deskmate"]
    typed, near = body.get("value") or "", ""
    if not typed.strip() and (search_id := _search_id(body.get("block_id"))) is not None:
        try:
            near = phrasings.clean(phrasings.search_query(deskmate.engine, search_id) or "")
        except SQLAlchemyError as error:  # the menu still opens, on the titles in order
            database_failed(logger, "read a knowledge gap's search", error)
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
        database_failed(logger, "link a knowledge gap to an article", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    retention = deskmate.settings.logs.retention_days
    replies.tell(respond, logger, linked(change, retention_days=retention))


def register(app: App) -> None:
    app.command(COMMAND)(reports_command)
    app.options(LINK_GAP)(gap_options)
    app.action(LINK_GAP)(link_gap)
