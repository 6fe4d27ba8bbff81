"""The "Not helpful" and "Suggest an edit" modal submissions called directly: stored
first, then passed to the article owner's channel, then the CSR told how it went."""

from __future__ import annotations

import pytest

from bot.slack.blocks import answer_forms as modals
from bot.store import models
from handlers import answer, replies

from .checks import assert_valid_message, shown
from .conftest import OWNER_CHANNEL
from .listeners import SKIP, SPD, acked, rows, sent, slack_refusal
from .payloads import RESPONSE_URL, submission_body

FORMS = {
    answer.submit_not_helpful: (modals.NOT_HELPFUL_VIEW, modals.REASON),
    answer.submit_suggestion: (modals.SUGGEST_EDIT_VIEW, modals.SUGGESTION),
}


@pytest.fixture
def submit(ack, respond, client, context, logger):
    """`submit(listener, article_id, typed)`: send the listener's modal with `typed` in it."""

    def run(listener, article_id: str, typed: str | None) -> None:
        callback_id, block_id = FORMS[listener]
        private = modals.metadata(article_id, RESPONSE_URL)
        body = submission_body(callback_id, private, {block_id: typed})
        listener(ack, body, body["view"], client, context, logger, respond)

    return run


def test_not_helpful_is_stored_and_posted_to_the_owners_channel(
    ack, respond, client, engine, submit
):
    submit(answer.submit_not_helpful, SPD, "Out of date <!channel>")

    assert acked(ack) == {}
    [feedback] = rows(engine, models.Feedback)
    assert (feedback.helpful, feedback.reason) == (False, "Out of date <!channel>")
    client.chat_postMessage.assert_called_once()
    post = client.chat_postMessage.call_args.kwargs
    assert post["channel"] == OWNER_CHANNEL
    assert_valid_message(post["blocks"])
    assert ">Out of date &lt;!channel&gt;" in shown(post["blocks"])
    [thanks] = sent(respond)
    assert thanks["text"] == (
        "Thanks, your feedback on “Council Tax single person discount” is saved and passed "
        "to Revenues team."
    )


def test_feedback_for_an_owner_without_a_channel_is_stored_only(
    ack, respond, client, engine, submit
):
    submit(answer.submit_not_helpful, SKIP, None)

    [feedback] = rows(engine, models.Feedback)
    assert (feedback.article_id, feedback.reason) == (SKIP, None)
    client.chat_postMessage.assert_not_called()
    [thanks] = sent(respond)
    assert (
        thanks["text"]
        == "Thanks, your feedback on “Skip permit for placing a skip on the road” is saved."
    )


def test_an_owner_post_that_fails_is_logged_and_told_and_the_feedback_kept(
    ack, respond, client, engine, caplog, submit
):
    client.chat_postMessage.side_effect = slack_refusal("channel_not_found")

    submit(answer.submit_suggestion, SPD, "Say 25% not a quarter")

    assert len(rows(engine, models.EditSuggestion)) == 1
    [reply] = sent(respond)
    assert reply["text"].startswith("Sorry, I couldn't pass your suggested edit")
    assert "It is saved, so nothing is lost." in reply["text"]
    assert "channel_not_found" in caplog.text


def test_a_suggestion_is_stored_and_posted(ack, respond, client, engine, submit):
    submit(answer.submit_suggestion, SPD, "  Mention the £70 penalty first  ")

    [suggestion] = rows(engine, models.EditSuggestion)
    assert (suggestion.article_id, suggestion.text) == (SPD, "Mention the £70 penalty first")
    post = client.chat_postMessage.call_args.kwargs
    assert post["channel"] == OWNER_CHANNEL
    assert ">Mention the £70 penalty first" in shown(post["blocks"])


@pytest.mark.parametrize("typed", [None, "", "   \n  "])
def test_an_empty_suggestion_keeps_the_modal_open_with_an_error(
    ack, respond, client, engine, typed, submit
):
    submit(answer.submit_suggestion, SPD, typed)

    assert acked(ack) == {
        "response_action": "errors",
        "errors": {modals.SUGGESTION: "Please write the edit you suggest."},
    }
    assert rows(engine, models.EditSuggestion) == []
    client.chat_postMessage.assert_not_called()
    respond.assert_not_called()


@pytest.mark.parametrize("listener", list(FORMS))
def test_a_submission_the_database_cannot_store_stays_open_to_try_again(
    ack, client, down, submit, listener
):
    submit(listener, SPD, "some text")

    block_id = FORMS[listener][1]
    assert acked(ack) == {"response_action": "errors", "errors": {block_id: replies.SORRY_DATABASE}}
    client.chat_postMessage.assert_not_called()


def test_feedback_on_an_article_removed_while_the_modal_was_open_is_still_kept(
    ack, respond, client, deskmate, engine, submit
):
    deskmate.settings = deskmate.settings.model_copy(
        update={"channels": deskmate.settings.channels.model_copy(update={"article_owners": "#kb"})}
    )

    submit(answer.submit_not_helpful, "removed-article", "It vanished")

    [feedback] = rows(engine, models.Feedback)
    assert (feedback.article_id, feedback.reason) == ("removed-article", "It vanished")
    assert client.chat_postMessage.call_args.kwargs["channel"] == "#kb"
    assert sent(respond)[0]["text"].endswith("is saved and passed to the article's owner.")
