"""`/reports cse`: the evidence pack sent to the supervisor who asked, in their own DM, as a
page; Slack or the database failing is told privately."""

from __future__ import annotations

import pytest

from bot.store import models
from handlers import replies

from ..slack_fake import RESPONSE_URL, UPLOAD, conversation
from .test_reports_dispatch import SUPERVISOR, _app, _articles, missed, person, reports


@pytest.fixture
def app(engine, slack_api, make_article):
    _articles(engine, make_article)
    return _app(engine, slack_api)


def test_the_evidence_pack_goes_to_the_supervisor_alone_as_a_page(app, slack_api):
    missed(app, slack_api, "pigeon racing licence", person())

    reply = reports(app, slack_api, "cse")

    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Putting the Customer Service Excellence evidence pack")
    [opened] = slack_api.called("conversations.open")
    assert opened.body["users"] == SUPERVISOR
    [upload] = slack_api.called(UPLOAD)
    page = upload.body["data"].decode("utf-8")
    for criterion in ("Customer Insight", "Culture of the Organisation", "Delivery"):
        assert f"{criterion}</h2>" in page
    assert "pigeon racing licence" in page  # the gap, as the search log keeps it
    [done] = slack_api.called("files.completeUploadExternal")
    assert done.body["channel_id"] == conversation(SUPERVISOR)  # the DM, no channel


def test_an_evidence_pack_slack_will_not_take_is_told(app, slack_api):
    slack_api.fail("files.getUploadURLExternal", "not_allowed_token_type")

    reports(app, slack_api, "cse month")

    told = slack_api.called(RESPONSE_URL)
    assert told and told[-1].body["text"] == (
        "Sorry, I couldn't send you the evidence pack just now, please try again."
    )


def test_an_evidence_pack_without_the_database_says_so(app, slack_api, engine):
    models.SearchLog.__table__.drop(engine)

    reports(app, slack_api, "cse")

    assert slack_api.called(RESPONSE_URL)[-1].body["text"] == replies.SORRY_DATABASE
    assert slack_api.called(UPLOAD) == []
