"""`/answer`: the command, the buttons on its card and the two modals behind them.

Each listener is a small function Bolt calls with the arguments it names; parse the
payload, call the core (bot.answer), render (bot.slack.blocks.answer and answer_forms),
reply.
"""

from __future__ import annotations

import re
import time
from logging import Logger

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.answer import CLOSEST, find_answer, record_feedback, record_suggestion
from bot.deskmate import Deskmate
from bot.slack.blocks import answer as blocks
from bot.slack.blocks import answer_forms as modals
from bot.slack.blocks import base
from bot.slack.blocks.base import escape
from bot.store.db import database_failed
from handlers import phrasings, replies
from knowledge.article import Article


def _deskmate(context: BoltContext) -> Deskmate:
    return context["deskmate"]


def _find(deskmate: Deskmate, article_id: str) -> Article | None:
    return next((a for a in deskmate.search_index.articles if a.id == article_id), None)


def _pressed(body: dict) -> tuple[str, str | None]:
    """(article id, query) from the pressed button."""
    return blocks.read_value(body["actions"][0].get("value", ""))


_LABELLED = re.compile(r"<[^<>|]*\|([^<>]*)>")
_MARKUP = re.compile(r"<[^<>]*>")


# -- the command ------------------------------------------------------------------------


def typed_text(text: str) -> str:
    """Slash-command text as the CSR typed it. With escaping on, Slack sends `&`, `<`, `>`
    as entities and mentions and channels as `<@U1|name>`, `<#C1|name>`: keep the names,
    drop other markup, and decode the entities before searching."""
    text = _LABELLED.sub(r" \1 ", text)
    text = _MARKUP.sub(" ", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def answer_command(ack: Ack, body: dict, context: BoltContext, logger: Logger) -> None:
    """Answer inside the acknowledgement: search is fast, so no second round trip."""
    started = time.perf_counter()
    text = typed_text(body.get("text") or "")
    if not text.strip():
        metrics.answer("empty")
        ack(response_type="ephemeral", text=blocks.USAGE_TEXT, blocks=blocks.usage())
        return
    deskmate = _deskmate(context)
    try:
        answer = find_answer(
            deskmate.search_index,
            deskmate.engine,
            text=text,
            user_id=body["user_id"],
            limit=deskmate.settings.search.limit,
            log_search=deskmate.log_search,
        )
    except Exception:  # noqa: BLE001 - mid-call, a kind reply beats Slack's "dispatch_failed"
        logger.exception("Could not answer /answer")
        metrics.answer("error", time.perf_counter() - started)
        sorry = replies.SORRY_SEARCH
        ack(response_type="ephemeral", text=sorry, blocks=base.notice(sorry))
        return
    if answer.found:
        article = answer.hits[0].article
        outcome, summary = "answered", blocks.card_text(article)
        card = blocks.answer_card(
            article, query=answer.query, today=deskmate.today(), truncated=answer.truncated
        )
    else:
        outcome, summary = "no_match", blocks.no_match_text(answer.query)
        card = blocks.no_match(answer.query, answer.closest, truncated=answer.truncated)
    # Counted before the acknowledgement, which is what sends the answer back to Slack.
    metrics.answer(outcome, time.perf_counter() - started)
    ack(response_type="ephemeral", text=summary, blocks=card)


# -- buttons ----------------------------------------------------------------------------


def share(ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger) -> None:
    """Post the card in the channel, credited to the CSR. Through the response_url, so it
    works in channels the bot has not been invited to. Sharing an article chosen over
    search's first answer teaches search the query (handlers.phrasings)."""
    ack()
    deskmate = _deskmate(context)
    article = _find(deskmate, _pressed(body)[0])
    if article is None:
        replies.tell(respond, logger, replies.GONE)
        return
    shared = replies.reply(
        respond,
        logger,
        "share an answer in the channel",
        response_type="in_channel",
        replace_original=False,
        text=blocks.card_text(article),
        blocks=blocks.shared_card(article, user_id=body["user"]["id"], today=deskmate.today()),
    )
    if not shared:
        replies.tell(respond, logger, replies.SORRY_SHARE)
    if note := phrasings.teach(deskmate, body, logger):
        replies.tell(respond, logger, note)


def other_matches(
    ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger
) -> None:
    """The next best articles for the same query. Not logged again: the search was."""
    ack()
    deskmate = _deskmate(context)
    article_id, query = _pressed(body)
    article = _find(deskmate, article_id)
    query = query or (article.title if article else "")
    limit = deskmate.settings.search.limit
    index = deskmate.search_index
    hits = [h for h in index.search(query, limit + 1) if h.article.id != article_id]
    confident = bool(hits)
    if not confident:
        hits = [h for h in index.closest(query, CLOSEST + 1) if h.article.id != article_id]
    shown = replies.reply(
        respond,
        logger,
        "show other matches",
        response_type="ephemeral",
        replace_original=False,
        text=f"Other matches for “{escape(query)}”",
        blocks=blocks.other_matches(query, hits[:limit], confident=confident),
    )
    if not shown:
        replies.tell(respond, logger, replies.SORRY_LIST)


def open_article(
    ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger
) -> None:
    """Show a chosen article's card in place of the list it was chosen from; if search did
    not put it first, its Share and Helpful buttons teach search the query."""
    ack()
    deskmate = _deskmate(context)
    article_id, query = _pressed(body)
    article = _find(deskmate, article_id)
    if article is None:
        replies.tell(respond, logger, replies.GONE)
        return
    teach = phrasings.chosen_over_first(deskmate.search_index, article_id, query)
    shown = replies.reply(
        respond,
        logger,
        "show an article",
        response_type="ephemeral",
        replace_original=True,
        text=blocks.card_text(article),
        blocks=blocks.answer_card(
            article, query=query or article.title, today=deskmate.today(), teach=teach
        ),
    )
    if not shown:
        replies.tell(respond, logger, replies.SORRY_LIST)


def helpful(ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger) -> None:
    ack()
    deskmate = _deskmate(context)
    article = _find(deskmate, _pressed(body)[0])
    if article is None:
        replies.tell(respond, logger, replies.GONE)
        return
    try:
        record_feedback(
            deskmate.engine,
            article_id=article.id,
            user_id=body["user"]["id"],
            helpful=True,
            card=_card(body),
        )
    except SQLAlchemyError as error:
        database_failed(logger, "store Helpful feedback", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    thanks = f"Thanks, I've noted that “{escape(article.title)}” helped."
    note = phrasings.teach(deskmate, body, logger)
    replies.tell(respond, logger, f"{thanks} {note}" if note else thanks)


def _card(body: dict) -> str | None:
    """Which answer card a button is on (its message's ts): feedback is one opinion per
    person, article and card, however often the button reaches us."""
    return (body.get("container") or {}).get("message_ts")


def _open_form(ack, body, respond, client, context, logger, view_for) -> None:
    ack()
    article = _find(_deskmate(context), _pressed(body)[0])
    if article is None:
        replies.tell(respond, logger, replies.GONE)
        return
    private = modals.metadata(article.id, body.get("response_url"), card=_card(body))
    replies.open_modal(
        client, respond, logger, body["trigger_id"], view_for(article, private=private)
    )


def not_helpful(
    ack: Ack,
    body: dict,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    """Ask why in a short modal; the answer is stored when it is sent."""
    _open_form(ack, body, respond, client, context, logger, modals.not_helpful_view)


def suggest_edit(
    ack: Ack,
    body: dict,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    _open_form(ack, body, respond, client, context, logger, modals.suggest_edit_view)


# -- modal submissions ------------------------------------------------------------------


def _submitted(deskmate: Deskmate, view: dict, respond: Respond | None):
    """(article, respond) for a submission: the article as it is now (a stand-in if it
    has left the knowledge base since), and a way to answer the CSR under their card."""
    article_id, url, _ = modals.read_metadata(view)
    article = _find(deskmate, article_id) or Article(
        id=article_id, title=article_id, category="", body=""
    )
    if url and (respond is None or respond.response_url is None):
        # Bolt hands view submissions a Respond without a URL; use the card's.
        respond = Respond(response_url=url)
    return article, respond


def _finish(deskmate, client, logger, respond, article, what, message) -> None:
    text, message_blocks = message
    outcome = replies.pass_to_owner(
        client,
        logger,
        channel=deskmate.settings.owner_channel(article.owner),
        owner=article.owner,
        what=what,
        text=text,
        blocks=message_blocks,
    )
    if respond is not None:
        replies.tell(respond, logger, outcome)


def submit_not_helpful(
    ack: Ack,
    body: dict,
    view: dict,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
    respond: Respond | None = None,
) -> None:
    """Store first (the modal stays open with an error if that fails), then tell the
    owner's channel, then the CSR."""
    deskmate = _deskmate(context)
    article, respond = _submitted(deskmate, view, respond)
    why = modals.typed(view, modals.REASON) or None
    user_id = body["user"]["id"]
    try:
        record_feedback(
            deskmate.engine,
            article_id=article.id,
            user_id=user_id,
            helpful=False,
            reason=why,
            card=modals.read_metadata(view)[2],
        )
    except SQLAlchemyError as error:
        database_failed(logger, "store Not helpful feedback", error)
        # The modal stays open with the reason still in it, to send again.
        ack(response_action="errors", errors={modals.REASON: replies.SORRY_DATABASE})
        return
    ack()
    today = deskmate.today()
    _finish(
        deskmate,
        client,
        logger,
        respond,
        article,
        f"your feedback on “{escape(article.title)}”",
        modals.owner_feedback(article, user_id=user_id, reason=why, today=today),
    )


def submit_suggestion(
    ack: Ack,
    body: dict,
    view: dict,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
    respond: Respond | None = None,
) -> None:
    deskmate = _deskmate(context)
    article, respond = _submitted(deskmate, view, respond)
    text = modals.typed(view, modals.SUGGESTION)
    user_id = body["user"]["id"]
    try:
        stored = record_suggestion(
            deskmate.engine,
            article_id=article.id,
            user_id=user_id,
            text=text,
            view_id=view.get("id"),
        )
    except ValueError:
        ack(
            response_action="errors",
            errors={modals.SUGGESTION: "Please write the edit you suggest."},
        )
        return
    except SQLAlchemyError as error:
        database_failed(logger, "store a suggested edit", error)
        ack(response_action="errors", errors={modals.SUGGESTION: replies.SORRY_DATABASE})
        return
    ack()
    if stored is None:  # this form was sent before, and its owner told then
        return
    today = deskmate.today()
    _finish(
        deskmate,
        client,
        logger,
        respond,
        article,
        f"your suggested edit to “{escape(article.title)}”",
        modals.owner_suggestion(article, user_id=user_id, text=text, today=today),
    )


def register(app: App) -> None:
    app.command("/answer")(answer_command)
    app.action(blocks.SHARE)(share)
    app.action(blocks.OTHER_MATCHES)(other_matches)
    app.action(re.compile(rf"^{blocks.OPEN}(_\d+)?$"))(open_article)
    app.action(blocks.HELPFUL)(helpful)
    app.action(blocks.NOT_HELPFUL)(not_helpful)
    app.action(blocks.SUGGEST_EDIT)(suggest_edit)
    app.view(modals.NOT_HELPFUL_VIEW)(submit_not_helpful)
    app.view(modals.SUGGEST_EDIT_VIEW)(submit_suggestion)
