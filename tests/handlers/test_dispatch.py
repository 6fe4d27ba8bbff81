"""`/answer` end to end through the real Bolt app: signed request bodies go through
`app.dispatch`, and the app's WebClient and the response URLs point at a recording fake
Slack on a free loopback port. Assertions are on the acknowledgement and on what reached
the fake."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.slack.blocks import answer as blocks
from bot.slack.blocks import answer_forms as modals
from bot.slack.client import CONSOLE_TOKEN
from bot.store import models
from handlers import replies

from ..apps import SECRET, signed_app
from ..databases import migrated_engine
from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_message, assert_valid_view, elements, shown
from .conftest import OWNER_CHANNEL
from .payloads import (
    action_body,
    command_body,
    command_request,
    payload_request,
    signed,
    submission_body,
)

SPD = "benefits-single-person-discount"  # Revenues team: has an owner channel
SKIP = "licensing-skip-permit"  # Street Scene Licensing: has none


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with migrated_engine(tmp_path_factory.mktemp("dispatch")) as engine:
        yield engine


@pytest.fixture(scope="module")
def app(slack_server, engine):
    """One app (and one search index) for the module; each test uses its own CSR id."""
    settings = Settings(owners={"Revenues team": OWNER_CHANNEL})
    # The production client, retry handlers and all, aimed at the fake.
    return signed_app(settings, slack_server, engine=engine)


@pytest.fixture
def user() -> str:
    return "U" + uuid.uuid4().hex[:10].upper()


def sent(fake) -> list:
    """What the app sent to Slack, leaving out the auth.test Bolt makes on its first
    request to learn who the bot is."""
    return [call for call in fake.calls if call.method != "auth.test"]


def rows(engine, table, user_id):
    with Session(engine) as session:
        return session.exec(select(table).where(table.user_id == user_id)).all()


def slash(app, fake, text, user):
    body = command_body(text, user_id=user, response_url=fake.response_url("command"))
    response = app.dispatch(command_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body)


def press(app, fake, user, action_id, article_id, query=None):
    body = action_body(
        action_id,
        blocks.button_value(article_id, query),
        user_id=user,
        response_url=fake.response_url("card"),
    )
    response = app.dispatch(payload_request(SECRET, body))
    assert (response.status, response.body) == (200, "")
    return body


def submit(app, fake, user, callback_id, article_id, block_id, typed):
    private = modals.metadata(article_id, fake.response_url("card"))
    body = submission_body(callback_id, private, {block_id: typed}, user_id=user)
    response = app.dispatch(payload_request(SECRET, body))
    assert response.status == 200
    return response


# -- the command ------------------------------------------------------------------------


def test_the_answer_card_is_the_acknowledgement_itself(app, slack_api, user):
    reply = slash(app, slack_api, "singel persn discount", user)

    assert reply["response_type"] == "ephemeral"
    assert_valid_message(reply["blocks"])
    assert reply["blocks"][0]["text"]["text"] == "Council Tax single person discount"
    assert [b["action_id"] for b in elements(reply["blocks"])] == [
        "answer_share",
        "answer_other_matches",
        "answer_helpful",
        "answer_not_helpful",
        "answer_suggest_edit",
    ]
    assert sent(slack_api) == []  # no second round trip


def test_no_confident_match_offers_the_closest_as_buttons(app, slack_api, engine, user):
    reply = slash(app, slack_api, "bin collection missed", user)

    assert_valid_message(reply["blocks"])
    assert "I couldn't find a confident answer" in shown(reply["blocks"])
    assert [b["action_id"] for b in elements(reply["blocks"])] == [
        "answer_open_0",
        "answer_open_1",
        "answer_open_2",
    ]
    [log] = rows(engine, models.SearchLog, user)
    assert not log.answered


def test_empty_text_gets_usage_help(app, slack_api, engine, user):
    reply = slash(app, slack_api, "", user)

    assert "`/answer ctr apply`" in shown(reply["blocks"])
    assert rows(engine, models.SearchLog, user) == []


@pytest.mark.parametrize(
    "text", ["payload", "payload= reference on my bill", "skip permit payload"]
)
def test_text_that_says_payload_is_still_a_command(app, slack_api, engine, user, text):
    # Bolt alone reads any form mentioning "payload" as an interaction, and finds no listener.
    reply = slash(app, slack_api, text, user)

    assert_valid_message(reply["blocks"])
    [log] = rows(engine, models.SearchLog, user)
    assert log.query == text


def test_over_long_text_says_it_was_cut(app, slack_api, user):
    reply = slash(app, slack_api, "skip permit " + "please " * 100, user)

    assert reply["blocks"][0]["elements"][0]["text"].endswith("I searched on the first 500.")
    assert "Skip permit" in reply["blocks"][1]["text"]["text"]


def test_the_search_is_logged_without_the_callers_details(app, slack_api, engine, user):
    slash(app, slack_api, "single person discount jo.bloggs@example.com SW1A 1AA", user)

    [log] = rows(engine, models.SearchLog, user)
    assert log.query == "single person discount [email] [postcode]"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda headers: {**headers, "x-slack-signature": ["v0=" + "0" * 64]},
        lambda headers: {**headers, "x-slack-request-timestamp": [str(int(time.time()) - 600)]},
        lambda headers: {k: v for k, v in headers.items() if k != "x-slack-signature"},
    ],
    ids=["forged", "stale", "unsigned"],
)
def test_a_forged_or_stale_request_is_rejected_with_401(app, slack_api, engine, user, tamper):
    raw = urlencode(command_body("ctr apply", user_id=user))
    headers = tamper(signed(SECRET, raw, "application/x-www-form-urlencoded"))

    response = app.dispatch(BoltRequest(body=raw, headers=headers))

    assert response.status == 401
    assert rows(engine, models.SearchLog, user) == []
    assert sent(slack_api) == []


def test_a_request_signed_with_another_secret_is_rejected(app, slack_api, user):
    request = command_request("not-the-apps-secret", command_body("ctr apply", user_id=user))

    assert app.dispatch(request).status == 401


# -- buttons ----------------------------------------------------------------------------


def test_share_posts_the_card_publicly_through_the_response_url(app, slack_api, user):
    press(app, slack_api, user, blocks.SHARE, SPD)

    [post] = slack_api.wait_for(RESPONSE_URL)
    assert post.path == "/response/card"
    assert (post.body["response_type"], post.body["replace_original"]) == ("in_channel", False)
    assert_valid_message(post.body["blocks"])
    assert f"Shared by <@{user}>" in shown(post.body["blocks"])


def test_a_share_slack_refuses_is_told_to_the_csr(app, slack_api, user):
    slack_api.reply(RESPONSE_URL, status=500, body="internal error", once=True)

    press(app, slack_api, user, blocks.SHARE, SPD)

    share, apology = slack_api.wait_for(RESPONSE_URL, 2)
    assert share.body["response_type"] == "in_channel"
    assert apology.body["response_type"] == "ephemeral"
    assert apology.body["text"] == replies.SORRY_SHARE


def test_other_matches_come_as_a_private_list(app, slack_api, user):
    press(app, slack_api, user, blocks.OTHER_MATCHES, SPD, "council tax discount living alone")

    [post] = slack_api.wait_for(RESPONSE_URL)
    assert post.body["response_type"] == "ephemeral"
    assert_valid_message(post.body["blocks"])
    shown_ids = [blocks.read_value(b["value"])[0] for b in elements(post.body["blocks"])]
    assert shown_ids and SPD not in shown_ids


def test_a_closest_title_button_shows_that_card(app, slack_api, user):
    press(app, slack_api, user, "answer_open_2", SKIP, "skips")

    [post] = slack_api.wait_for(RESPONSE_URL)
    assert post.body["replace_original"] is True
    assert_valid_message(post.body["blocks"])
    assert post.body["blocks"][0]["text"]["text"].startswith("Skip permit")


def test_helpful_is_stored_and_thanked(app, slack_api, engine, user):
    press(app, slack_api, user, blocks.HELPFUL, SPD)

    [post] = slack_api.wait_for(RESPONSE_URL)
    assert post.body["text"].startswith("Thanks, I've noted")
    [feedback] = rows(engine, models.Feedback, user)
    assert (feedback.article_id, feedback.helpful) == (SPD, True)


def test_pressing_again_on_the_same_card_changes_the_opinion_instead_of_adding_one(
    app, slack_api, engine, user
):
    press(app, slack_api, user, blocks.HELPFUL, SPD)
    press(app, slack_api, user, blocks.HELPFUL, SPD)  # a double click, or a second instance
    slack_api.wait_for(RESPONSE_URL, count=2)
    assert [f.helpful for f in rows(engine, models.Feedback, user)] == [True]

    # Then "Not helpful" on the same card: its form carries the card along.
    opened = press(app, slack_api, user, blocks.NOT_HELPFUL, SPD)
    [form] = slack_api.wait_for("views.open")
    card = opened["container"]["message_ts"]
    assert modals.read_metadata(form.body["view"])[2] == card
    private = form.body["view"]["private_metadata"]
    body = submission_body(
        modals.NOT_HELPFUL_VIEW, private, {modals.REASON: "Old fee"}, user_id=user
    )
    assert app.dispatch(payload_request(SECRET, body)).status == 200
    # Its note to the owner goes out after the form is answered: waited for here, so it
    # cannot land in the next test's calls.
    slack_api.wait_for("chat.postMessage")

    [feedback] = rows(engine, models.Feedback, user)
    assert (feedback.helpful, feedback.reason, feedback.card) == (False, "Old fee", card)


def test_a_suggestion_form_sent_twice_is_stored_and_posted_once(app, slack_api, engine, user):
    private = modals.metadata(SPD, slack_api.response_url("card"))
    for _ in range(2):
        body = submission_body(
            modals.SUGGEST_EDIT_VIEW,
            private,
            {modals.SUGGESTION: "Fee is £40"},
            user_id=user,
            view_id="V0SAMEFORM",
        )
        assert app.dispatch(payload_request(SECRET, body)).status == 200

    # The copy was refused before its dispatch returned (the store comes before the ack); the
    # first's note to the owner and its reply follow the ack: both waited for.
    slack_api.wait_for("chat.postMessage")
    slack_api.wait_for(RESPONSE_URL)
    posts = [
        c
        for c in slack_api.called("chat.postMessage")
        if "Fee is £40" in json.dumps(c.body, ensure_ascii=False)
    ]
    assert len(posts) == 1
    assert [s.text for s in rows(engine, models.EditSuggestion, user)] == ["Fee is £40"]


@pytest.mark.parametrize(
    ("action_id", "callback_id"),
    [
        (blocks.NOT_HELPFUL, modals.NOT_HELPFUL_VIEW),
        (blocks.SUGGEST_EDIT, modals.SUGGEST_EDIT_VIEW),
    ],
)
def test_not_helpful_and_suggest_an_edit_open_a_modal(app, slack_api, user, action_id, callback_id):
    body = press(app, slack_api, user, action_id, SPD)

    [call] = slack_api.wait_for("views.open")
    assert call.headers["Authorization"] == f"Bearer {CONSOLE_TOKEN}"
    assert call.body["trigger_id"] == body["trigger_id"]
    assert_valid_view(call.body["view"])
    assert call.body["view"]["callback_id"] == callback_id


@pytest.mark.parametrize(
    "failure",
    [
        {"body": {"ok": False, "error": "expired_trigger_id"}},
        {"status": 500, "body": "<html>Internal Server Error</html>"},
    ],
    ids=["refused", "http-500"],
)
def test_a_modal_that_will_not_open_is_told_to_the_csr(app, slack_api, user, failure):
    slack_api.reply("views.open", **failure)

    press(app, slack_api, user, blocks.NOT_HELPFUL, SPD)

    [post] = slack_api.wait_for(RESPONSE_URL)
    assert post.body["text"] == replies.SORRY_FORM


# -- modal submissions ------------------------------------------------------------------


def test_not_helpful_reaches_the_owners_channel(app, slack_api, engine, user):
    response = submit(
        app, slack_api, user, modals.NOT_HELPFUL_VIEW, SPD, modals.REASON, "Wrong penalty"
    )

    assert response.body == ""  # the modal closes
    [thanks] = slack_api.wait_for(RESPONSE_URL)
    assert thanks.body["text"].endswith("is saved and passed to Revenues team.")
    [post] = slack_api.called("chat.postMessage")
    assert post.body["channel"] == OWNER_CHANNEL
    assert_valid_message(post.body["blocks"])
    assert f"<@{user}> found *Council Tax single person discount*" in shown(post.body["blocks"])
    [feedback] = rows(engine, models.Feedback, user)
    assert (feedback.helpful, feedback.reason) == (False, "Wrong penalty")


def test_feedback_for_an_owner_with_no_channel_is_only_stored(app, slack_api, engine, user):
    submit(app, slack_api, user, modals.NOT_HELPFUL_VIEW, SKIP, modals.REASON, "Too long")

    [thanks] = slack_api.wait_for(RESPONSE_URL)
    assert thanks.body["text"].endswith("is saved.")
    assert slack_api.called("chat.postMessage") == []
    assert len(rows(engine, models.Feedback, user)) == 1


def test_a_suggestion_is_stored_and_posted_with_its_text_escaped(app, slack_api, engine, user):
    submit(app, slack_api, user, modals.SUGGEST_EDIT_VIEW, SPD, modals.SUGGESTION, "<!here> fix")

    slack_api.wait_for(RESPONSE_URL)
    [post] = slack_api.called("chat.postMessage")
    assert "&lt;!here&gt; fix" in shown(post.body["blocks"])
    assert "<!here>" not in json.dumps(post.body)
    [suggestion] = rows(engine, models.EditSuggestion, user)
    assert suggestion.text == "<!here> fix"  # stored as typed; escaped only for display


def test_an_empty_suggestion_shows_an_error_in_the_modal(app, slack_api, engine, user):
    response = submit(app, slack_api, user, modals.SUGGEST_EDIT_VIEW, SPD, modals.SUGGESTION, "  ")

    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {"suggestion": "Please write the edit you suggest."},
    }
    assert rows(engine, models.EditSuggestion, user) == []
    assert sent(slack_api) == []


@pytest.mark.parametrize(
    "failure",
    [
        {"body": {"ok": False, "error": "channel_not_found"}},
        {"status": 500, "body": {"ok": False, "error": "internal_error"}},
    ],
    ids=["channel_not_found", "http-500"],
)
def test_an_owner_post_that_fails_is_told_to_the_csr(app, slack_api, engine, user, failure):
    slack_api.reply("chat.postMessage", **failure)

    submit(app, slack_api, user, modals.SUGGEST_EDIT_VIEW, SPD, modals.SUGGESTION, "Add a date")

    [post] = slack_api.wait_for(RESPONSE_URL)
    assert post.body["text"].startswith("Sorry, I couldn't pass your suggested edit")
    assert len(rows(engine, models.EditSuggestion, user)) == 1
