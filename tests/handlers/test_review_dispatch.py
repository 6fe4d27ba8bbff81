"""The review reminder's Mark reviewed button through `app.dispatch`: the article's date is
set in the database, who pressed it is recorded, and the message shows it in place; only
supervisors and reviewers may press it, and anyone else changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.reviews import ReviewItem
from bot.slack.blocks.reviews import MARK_REVIEWED, reminder
from bot.store import kb, models
from handlers import replies, reviews
from handlers.reviews import GONE

from ..apps import SECRET, signed_app
from ..slack_fake import RESPONSE_URL
from .listeners import sent
from .payloads import action_body, payload_request

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
OWNER = "U0OWNER001"  # an article owner, named in `reviewers:`
SUPERVISOR = "U0SUPER001"
CSR = "U0CSR00001"  # in the owners' channel, perhaps, but neither


@pytest.fixture
def settings() -> Settings:
    """For the listeners called directly (tests/handlers/conftest.py)."""
    return Settings(reviewers=[OWNER])


def _app(engine, slack_api, settings=None):
    return signed_app(
        settings or Settings(supervisors=[SUPERVISOR], reviewers=[OWNER]),
        slack_api,
        engine=engine,
        process_before_response=True,
        clock=lambda: NOW,
    )


def _item(number: int) -> ReviewItem:
    return ReviewItem(
        article_id=f"test-article-{number}",
        title=f"Test article number {number}",
        owner="Housing team",
        reviewed=dt.date(2024, 1, 1),
        overdue=True,
    )


def _press(app, slack_api, article_id: str, user_id: str = OWNER) -> None:
    text, blocks = reminder("Housing team", [_item(1), _item(2)], since=dt.date(2026, 2, 23))
    body = action_body(
        MARK_REVIEWED, article_id, user_id=user_id, response_url=slack_api.response_url("rev")
    )
    body["container"]["is_ephemeral"] = False
    body["message"] = {"type": "message", "text": text, "blocks": blocks, "ts": "1700000000.1"}
    assert app.dispatch(payload_request(SECRET, body)).status == 200


def test_mark_reviewed_sets_the_date_records_who_and_updates_the_message(
    engine, slack_api, make_article
):
    kb.import_articles(
        engine,
        articles=[make_article(n, reviewed=dt.date(2024, 1, 1)) for n in (1, 2)],
    )

    _press(_app(engine, slack_api), slack_api, "test-article-2")

    reviewed = {article.id: article.reviewed for article in kb.load_from_db(engine)}
    assert reviewed == {"test-article-1": dt.date(2024, 1, 1), "test-article-2": NOW.date()}
    with Session(engine) as session:
        [review] = session.exec(select(models.ArticleReview)).all()
    assert (review.article_id, review.user_id) == ("test-article-2", OWNER)
    [update] = slack_api.called(RESPONSE_URL)
    assert update.body["replace_original"] is True
    first, second = update.body["blocks"][2:]
    assert first["accessory"]["value"] == "test-article-1"  # still to do
    assert "accessory" not in second
    assert f"Reviewed 2 March 2026 by <@{OWNER}>" in second["text"]["text"]


def test_a_supervisor_not_named_as_a_reviewer_may_mark_too(engine, slack_api, make_article):
    kb.import_articles(engine, articles=[make_article(1, reviewed=dt.date(2024, 1, 1))])

    _press(_app(engine, slack_api), slack_api, "test-article-1", user_id=SUPERVISOR)

    assert [a.reviewed for a in kb.load_from_db(engine)] == [NOW.date()]
    [update] = slack_api.called(RESPONSE_URL)
    assert f"Reviewed 2 March 2026 by <@{SUPERVISOR}>" in update.body["blocks"][2]["text"]["text"]


@pytest.mark.parametrize(
    ("configured", "refusal"),
    [
        (
            Settings(supervisors=[SUPERVISOR], reviewers=[OWNER]),
            "Only supervisors and article reviewers can mark an article as reviewed. "
            f"Ask <@{SUPERVISOR}> or <@{OWNER}>, or an admin to add you to `reviewers:` in "
            "app.yaml.",
        ),
        (
            Settings(),
            "Only supervisors and article reviewers can mark an article as reviewed. "
            "None are set up yet: an admin adds them to `reviewers:` in app.yaml.",
        ),
    ],
    ids=["some", "none set up"],
)
def test_anyone_else_is_refused_privately_and_nothing_changes(
    engine, slack_api, make_article, configured, refusal
):
    kb.import_articles(engine, articles=[make_article(1, reviewed=dt.date(2024, 1, 1))])
    version = kb.knowledge_version(engine)

    _press(_app(engine, slack_api, configured), slack_api, "test-article-1", user_id=CSR)

    [reply] = slack_api.called(RESPONSE_URL)  # and no update of the reminder
    assert reply.body["text"] == refusal
    assert (reply.body["response_type"], reply.body["replace_original"]) == ("ephemeral", False)
    assert [a.reviewed for a in kb.load_from_db(engine)] == [dt.date(2024, 1, 1)]
    with Session(engine) as session:
        assert session.exec(select(models.ArticleReview)).all() == []
    assert kb.knowledge_version(engine) == version


def test_marking_an_article_no_longer_there_says_so_and_changes_nothing(
    engine, slack_api, make_article
):
    kb.import_articles(engine, articles=[make_article(1, reviewed=dt.date(2024, 1, 1))])

    _press(_app(engine, slack_api), slack_api, "test-article-2")

    [reply] = slack_api.called(RESPONSE_URL)
    assert reply.body["text"] == GONE and reply.body["replace_original"] is False
    assert [a.reviewed for a in kb.load_from_db(engine)] == [dt.date(2024, 1, 1)]


def test_a_database_failure_says_sorry(ack, respond, down, context, logger):
    body = action_body(MARK_REVIEWED, "test-article-1", user_id=OWNER)

    reviews.mark_reviewed(ack, body, respond, context, logger)

    [reply] = sent(respond)
    assert reply["text"] == replies.SORRY_DATABASE
