"""The two `/answer` modals (why it was not helpful, a suggested edit) and the messages
that carry what a CSR wrote to the article's owner. Pure functions, like bot.slack.blocks."""

from __future__ import annotations

import json

from bot.answer import MAX_FEEDBACK_CHARS
from bot.slack.blocks.answer import review_line, says_now
from bot.slack.blocks.base import Blocks, context, escape, fit, quote, section
from knowledge.article import Article

NOT_HELPFUL_VIEW = "answer_not_helpful_view"
SUGGEST_EDIT_VIEW = "answer_suggest_edit_view"
REASON = "reason"  # block id of the "why" box
SUGGESTION = "suggestion"  # block id of the suggested edit box
TEXT = "text"  # action id of the text box in either
METADATA_CHARS = 3_000


def metadata(article_id: str, response_url: str | None, *, card: str | None = None) -> str:
    """What a submission needs: the article, where to tell the CSR how it went (a view
    submission carries no response_url of its own) and the answer card it came from."""
    data = {"id": article_id, "url": response_url, "card": card}
    text = json.dumps(data, separators=(",", ":"))
    if len(text) > METADATA_CHARS:  # an absurd URL: the answer still gets stored
        text = json.dumps({"id": article_id, "url": None, "card": card}, separators=(",", ":"))
    return text


def read_metadata(view: dict) -> tuple[str, str | None, str | None]:
    """(article id, response URL, card) from a form's private metadata."""
    data = json.loads(view.get("private_metadata") or "{}")
    return data["id"], data.get("url"), data.get("card")


def typed(view: dict, block_id: str) -> str:
    """What the CSR typed in a box, stripped ("" when empty)."""
    box = view.get("state", {}).get("values", {}).get(block_id, {}).get(TEXT, {})
    return (box.get("value") or "").strip()


def _text_box(block_id: str, label: str, placeholder: str, *, optional: bool) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "plain_text_input",
            "action_id": TEXT,
            "multiline": True,
            "max_length": MAX_FEEDBACK_CHARS,
            "placeholder": {"type": "plain_text", "text": placeholder},
        },
    }


def _modal(callback_id: str, title: str, submit: str, private: str, blocks: Blocks) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": private,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def not_helpful_view(article: Article, *, private: str) -> dict:
    return _modal(
        NOT_HELPFUL_VIEW,
        "Not helpful",
        "Send",
        private,
        [
            section(f"What was wrong with *{escape(article.title)}*?"),
            _text_box(
                REASON,
                "Why wasn't it helpful?",
                "For example: out of date, wrong for this caller, hard to read out",
                optional=True,
            ),
        ],
    )


def suggest_edit_view(article: Article, *, private: str) -> dict:
    # What it says now, as the card shows it: a page written as guidance has no script, and
    # the CSR still needs to see what they are suggesting a change to.
    blocks = [
        section(f"Suggest a change to *{escape(article.title)}*."),
        section("*It says now:*\n" + says_now(article, 2_900)),
    ]
    blocks.append(
        _text_box(
            SUGGESTION,
            "Your suggested edit",
            "What should it say instead, and why?",
            optional=False,
        )
    )
    return _modal(SUGGEST_EDIT_VIEW, "Suggest an edit", "Send", private, blocks)


# -- messages to the article's owner -----------------------------------------------------


def _about(article: Article) -> str:
    return f"*{escape(article.title)}* (`{escape(article.id)}`)"


def owner_feedback(
    article: Article, *, user_id: str, reason: str | None, today
) -> tuple[str, Blocks]:
    """(fallback text, blocks) telling the owner a CSR found the article unhelpful."""
    said = quote(reason, 2_900) if reason else "_No reason given._"
    return (
        fit(f"Not helpful: {escape(article.title)}", 3_000),
        [
            section(f":thumbsdown: <@{user_id}> found {_about(article)} not helpful."),
            section(said, verbatim=True),
            context(review_line(article, today)),
        ],
    )


def owner_suggestion(article: Article, *, user_id: str, text: str, today) -> tuple[str, Blocks]:
    """(fallback text, blocks) carrying a CSR's suggested edit to the owner."""
    return (
        fit(f"Suggested edit: {escape(article.title)}", 3_000),
        [
            section(f":pencil2: <@{user_id}> suggests an edit to {_about(article)}:"),
            section(quote(text, 2_900), verbatim=True),
            context(review_line(article, today)),
        ],
    )
