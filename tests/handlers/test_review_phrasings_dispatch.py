"""Learned phrasings on the review reminder, through `app.dispatch`: each article shows its
newest phrasings with a count and a menu to remove one; choosing Remove takes it out of the
knowledge base (every instance's index follows) and out of the message. Only supervisors and
reviewers may; anyone else changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config.settings import Settings
from bot.phrasings import learn_phrasing, phrasing_key
from bot.reviews import ReviewItem, due_for_review
from bot.slack.blocks.reviews import (
    PHRASINGS_PREFIX,
    PHRASINGS_SHOWN,
    REMOVE_PHRASING,
    pages,
    reminder,
)
from bot.store import kb, models
from handlers import replies
from handlers.reviews import GONE_PHRASING, REMOVED_ALREADY

from ..apps import SECRET, signed_app
from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_message, elements, shown
from .payloads import choice_body, payload_request

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
SINCE = NOW - dt.timedelta(days=7)
OWNER = "U0OWNER001"  # an article owner, named in `reviewers:`
SUPERVISOR = "U0SUPER001"
CSR = "U0CSR00001"
ARTICLE = "test-article-1"
TAUGHT = [f"bins late on street number {n}" for n in range(7)]  # oldest first


@pytest.fixture
def app(engine, slack_api, make_article):
    kb.import_articles(engine, articles=[make_article(1), make_article(2, reviewed=None)])
    for number, query in enumerate(TAUGHT):
        learn_phrasing(engine, article_id=ARTICLE, query=query, now=SINCE + dt.timedelta(number))
    return signed_app(
        Settings(supervisors=[SUPERVISOR], reviewers=[OWNER]),
        slack_api,
        engine=engine,
        process_before_response=True,
        clock=lambda: NOW,
    )


def posted(engine) -> tuple[str, list[dict]]:
    """The reminder the job would post for the Housing team now: (text, blocks)."""
    due = due_for_review(engine, today=NOW.date(), since=SINCE, until=NOW)
    return reminder("Housing team", due["Housing team"], since=SINCE.date())


@pytest.fixture
def message(app, engine) -> tuple[str, list[dict]]:
    return posted(engine)


def remove(app, fake, message, phrasing: str, *, user=OWNER, article=ARTICLE) -> list:
    """Choose Remove for `phrasing` on the reminder `message`; the calls to its response URL."""
    text, blocks = message
    body = choice_body(
        REMOVE_PHRASING,
        PHRASINGS_PREFIX + article,
        phrasing_key(phrasing),
        user_id=user,
        response_url=fake.response_url("reminder"),
    )
    body["container"]["is_ephemeral"] = False
    body["message"] = {"type": "message", "text": text, "blocks": blocks, "ts": "1700000000.1"}
    assert app.dispatch(payload_request(SECRET, body)).status == 200
    return fake.called(RESPONSE_URL)


def phrasings_block(blocks: list[dict], article: str = ARTICLE) -> dict:
    [block] = [b for b in blocks if b.get("block_id") == PHRASINGS_PREFIX + article]
    return block


def stored(engine) -> tuple[str, ...]:
    return {a.id: a.phrasings for a in kb.load_from_db(engine)}[ARTICLE]


def test_the_reminder_lists_an_articles_newest_phrasings_with_a_count_and_remove_menu(message):
    _, blocks = message

    assert_valid_message(blocks)
    block = phrasings_block(blocks)
    newest = list(reversed(TAUGHT))[:PHRASINGS_SHOWN]
    assert block["text"]["text"].splitlines() == [
        "*7 learned phrasings*, the newest:",
        *[f"• “{phrasing}”" for phrasing in newest],
        "…and 2 more",
    ]
    [menu] = elements([block], "overflow")
    assert [option["value"] for option in menu["options"]] == [phrasing_key(p) for p in newest]
    assert menu["options"][0]["text"]["text"] == f"Remove “{TAUGHT[-1]}”"
    assert "Learned a new phrasing since 23 February 2026" in shown(blocks)
    # The overdue article without phrasings has no such block.
    assert [b for b in blocks if b.get("block_id", "").startswith(PHRASINGS_PREFIX)] == [block]


def test_an_owner_removes_a_phrasing_and_the_message_shows_it_gone(app, message, engine, slack_api):
    version = kb.knowledge_version(engine)

    [update] = remove(app, slack_api, message, TAUGHT[-1])

    assert stored(engine) == tuple(TAUGHT[:-1])
    assert kb.knowledge_version(engine) == version + 1  # every instance's index follows
    assert update.body["replace_original"] is True
    assert_valid_message(update.body["blocks"])
    block = phrasings_block(update.body["blocks"])
    lines = block["text"]["text"].splitlines()
    assert lines[:2] == ["*6 learned phrasings*, the newest:", f"• “{TAUGHT[-2]}”"]
    assert lines[-1] == f":wastebasket: Removed “{TAUGHT[-1]}”, by <@{OWNER}>"
    assert phrasing_key(TAUGHT[-1]) not in str(block)
    # The rest of the reminder, Mark reviewed and all, is as it was.
    others = [b for b in update.body["blocks"] if b is not block and b != block]
    assert others == [b for b in message[1] if b != phrasings_block(message[1])]


def test_removing_the_last_one_leaves_a_note_and_no_menu(app, engine, slack_api, make_article):
    kb.import_articles(engine, articles=[make_article(1, phrasings=("bins late",))])

    [update] = remove(app, slack_api, posted(engine), "bins late", user=SUPERVISOR)

    block = phrasings_block(update.body["blocks"])
    assert "accessory" not in block
    assert block["text"]["text"] == f":wastebasket: Removed “bins late”, by <@{SUPERVISOR}>"
    assert stored(engine) == ()


def test_anyone_else_is_refused_privately_and_nothing_changes(app, message, engine, slack_api):
    version = kb.knowledge_version(engine)

    [reply] = remove(app, slack_api, message, TAUGHT[-1], user=CSR)

    assert reply.body["text"] == (
        "Only supervisors and article reviewers can remove a learned phrasing. "
        f"Ask <@{SUPERVISOR}> or <@{OWNER}>, or an admin to add you to `reviewers:` in app.yaml."
    )
    assert (reply.body["response_type"], reply.body["replace_original"]) == ("ephemeral", False)
    assert stored(engine) == tuple(TAUGHT)
    assert kb.knowledge_version(engine) == version


@pytest.mark.parametrize(
    ("article", "says"),
    [(ARTICLE, REMOVED_ALREADY), ("gone-article", GONE_PHRASING)],
    ids=["removed-already", "article-gone"],
)
def test_a_phrasing_or_article_already_gone_is_said(app, message, engine, slack_api, article, says):
    remove(app, slack_api, message, TAUGHT[0])
    slack_api.reset()

    [reply] = remove(app, slack_api, message, TAUGHT[0], article=article)

    assert reply.body["text"] == says and reply.body["replace_original"] is False
    assert stored(engine) == tuple(TAUGHT[1:])


def test_a_database_failure_says_sorry_and_changes_nothing(app, message, engine, slack_api, caplog):
    models.KnowledgeVersion.__table__.drop(engine)

    [reply] = remove(app, slack_api, message, TAUGHT[-1])

    assert reply.body["text"] == replies.SORRY_DATABASE
    assert "Could not remove a learned phrasing: the database failed" in caplog.text
    assert stored(engine) == tuple(TAUGHT)


def test_a_reminder_with_many_phrasings_is_split_within_slacks_block_limit():
    items = [
        ReviewItem(
            article_id=f"a-{n}",
            title=f"Article {n}",
            owner=None,
            reviewed=None,
            overdue=True,
            phrasings=(f"question {n}",) if n % 2 else (),
        )
        for n in range(60)
    ]

    split = pages(items)

    assert [start for start, _ in split] == [0, 32]
    assert sum(len(page) for _, page in split) == 60
    for _, page in split:
        assert_valid_message(reminder(None, page, since=SINCE.date())[1])
    # Without phrasings, 40 an article as before (the posts keep their names).
    assert [start for start, _ in pages([i for i in items if not i.phrasings] * 2)] == [0, 40]
