"""`/answer` and its buttons, `/kudos` and `/reports` with the database taken away under a
working app, for real (tests/db_faults: the PostgreSQL server's connections cut and refused,
the SQLite file gone), through the real Bolt app: a kind reply, no unhandled error, nothing
stored, the person's own words kept for them, and the same request working once the
database is back. /training, the quiz, Mark reviewed and App Home: test_db_down_training."""

from __future__ import annotations

import json
import uuid

import pytest

from bot.slack.blocks import answer as blocks
from bot.slack.blocks import answer_forms as modals
from bot.store import models
from handlers import replies
from handlers.kudos import unsaved

from ..slack_fake import RESPONSE_URL
from .conftest import OWNER_CHANNEL
from .db_down_app import (  # noqa: F401 - fixtures
    app,
    command,
    logged_failure,
    press,
    told,
    unhandled,
    user,
)
from .kudos_app import KUDOS_CHANNEL, SECRET, SUPERVISOR, kudos, submit
from .listeners import SPD, rows
from .payloads import payload_request, submission_body

# -- /answer and its buttons --------------------------------------------------------------


def test_answer_still_answers_while_the_database_is_down_and_logs_again_once_back(
    app, breakable, engine, slack_api, user, caplog
):
    with breakable.unavailable():
        reply = command(app, slack_api, "/answer", "council tax discount living alone", user)

    assert reply["blocks"][0]["text"]["text"] == "Council Tax single person discount"
    assert "search not logged, the database is unavailable" in caplog.text
    assert unhandled(caplog) == []
    assert rows(engine, models.SearchLog) == []

    again = command(app, slack_api, "/answer", "council tax discount living alone", user)

    assert again["blocks"][0]["text"]["text"] == "Council Tax single person discount"
    [logged] = rows(engine, models.SearchLog)
    assert (logged.user_id, logged.answered) == (user, True)


@pytest.mark.parametrize(
    ("action_id", "method"),
    [
        (blocks.SHARE, RESPONSE_URL),
        (blocks.OTHER_MATCHES, RESPONSE_URL),
        ("answer_open_0", RESPONSE_URL),
        (blocks.NOT_HELPFUL, "views.open"),
        (blocks.SUGGEST_EDIT, "views.open"),
    ],
)
def test_buttons_that_need_no_database_work_while_it_is_down(
    app, breakable, slack_api, user, caplog, action_id, method
):
    value = blocks.button_value(SPD, "council tax discount living alone")

    with breakable.unavailable():
        press(app, slack_api, action_id, value, user)

    [call] = slack_api.called(method)
    assert replies.SORRY_DATABASE not in json.dumps(call.body)
    assert unhandled(caplog) == []


def test_helpful_says_try_again_and_stores_once_the_database_is_back(
    app, breakable, engine, slack_api, user, caplog
):
    value = blocks.button_value(SPD, "council tax discount living alone")

    with breakable.unavailable():
        press(app, slack_api, blocks.HELPFUL, value, user)

    assert told(slack_api) == [replies.SORRY_DATABASE]
    [apology] = slack_api.called(RESPONSE_URL)
    assert (apology.body["response_type"], apology.body["replace_original"]) == (
        "ephemeral",
        False,
    )
    assert logged_failure(caplog, "store Helpful feedback")
    assert unhandled(caplog) == []
    assert rows(engine, models.Feedback) == []

    press(app, slack_api, blocks.HELPFUL, value, user)

    assert told(slack_api)[1].startswith("Thanks, I've noted")
    [feedback] = rows(engine, models.Feedback)
    assert (feedback.article_id, feedback.user_id, feedback.helpful) == (SPD, user, True)


@pytest.mark.parametrize(
    ("callback_id", "block_id", "table", "column"),
    [
        (modals.NOT_HELPFUL_VIEW, modals.REASON, models.Feedback, "reason"),
        (modals.SUGGEST_EDIT_VIEW, modals.SUGGESTION, models.EditSuggestion, "text"),
    ],
    ids=["not-helpful", "suggest-edit"],
)
def test_a_modal_the_database_cannot_store_stays_open_with_the_text_in_it(
    app, breakable, engine, slack_api, user, caplog, callback_id, block_id, table, column
):
    typed = "The penalty changed in April; the new leaflet says £70"
    private = modals.metadata(SPD, slack_api.response_url("card"))
    body = submission_body(callback_id, private, {block_id: typed}, user_id=user)

    with breakable.unavailable():
        response = app.dispatch(payload_request(SECRET, body))

    assert response.status == 200
    # Slack keeps the modal open, with what was typed, and shows this under the box.
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {block_id: replies.SORRY_DATABASE},
    }
    assert slack_api.called("chat.postMessage") == [] and told(slack_api) == []
    assert typed not in caplog.text  # the failure is logged without what the CSR wrote
    assert "the database failed" in caplog.text
    assert unhandled(caplog) == []
    assert rows(engine, table) == []

    response = app.dispatch(payload_request(SECRET, body))  # Send, pressed again

    assert (response.status, response.body) == (200, "")  # the modal closes
    [row] = rows(engine, table)
    assert getattr(row, column) == typed
    [post] = slack_api.wait_for("chat.postMessage")
    assert post.body["channel"] == OWNER_CHANNEL


# -- /kudos --------------------------------------------------------------------------------


def test_a_typed_kudos_the_database_cannot_store_is_given_back_to_send_again(
    app, breakable, engine, slack_api, user, caplog
):
    alex = "U" + uuid.uuid4().hex[:9].upper()
    text = f"<@{alex}|alex> for staying calm with a distressed caller &lt;3 #empathy"

    with breakable.unavailable():
        ack = kudos(app, slack_api, user, text)

    apology = ack["text"]  # in the acknowledgement: nothing was saved
    assert told(slack_api) == []
    assert apology == unsaved(text)
    assert apology.startswith(replies.SORRY_DATABASE)
    assert apology.endswith(
        f">/kudos <@{alex}> for staying calm with a distressed caller &lt;3 #empathy"
    )
    assert [c.body["channel"] for c in slack_api.called("chat.postMessage")] == []
    assert "distressed caller" not in caplog.text
    assert logged_failure(caplog, "store a kudos")
    assert unhandled(caplog) == []
    assert rows(engine, models.Kudos) == []

    kudos(app, slack_api, user, text)  # sent again, as given back

    posts = [c for c in slack_api.called("chat.postMessage") if c.body["channel"] == KUDOS_CHANNEL]
    assert len(posts) == 1
    [row] = rows(engine, models.Kudos)
    assert (row.giver_id, row.message) == (user, "for staying calm with a distressed caller <3")


def test_the_kudos_form_stays_open_when_the_database_cannot_store_it(
    app, breakable, engine, slack_api, user, caplog
):
    alex = "U" + uuid.uuid4().hex[:9].upper()
    message = "for covering my calls while I was off sick"

    with breakable.unavailable():
        reply = submit(app, slack_api, user, [alex], message, view_id="V0FORM0001")

    assert reply == {"response_action": "errors", "errors": {"message": replies.SORRY_DATABASE}}
    assert slack_api.called("chat.postMessage") == []
    assert message not in caplog.text
    assert unhandled(caplog) == []
    assert rows(engine, models.Kudos) == []

    assert submit(app, slack_api, user, [alex], message, view_id="V0FORM0001") is None

    [row] = rows(engine, models.Kudos)
    assert row.message == message
    assert KUDOS_CHANNEL in [c.body["channel"] for c in slack_api.called("chat.postMessage")]


@pytest.mark.parametrize(
    ("text", "afterwards"), [("mine", "No kudos yet"), ("leaderboard", "Kudos leaderboard")]
)
def test_kudos_mine_and_leaderboard_say_try_again_while_the_database_is_down(
    app, breakable, slack_api, user, caplog, text, afterwards
):
    with breakable.unavailable():
        reply = command(app, slack_api, "/kudos", text, user)

    assert (reply["response_type"], reply["text"]) == ("ephemeral", replies.SORRY_DATABASE)
    assert logged_failure(caplog, "read kudos")
    assert unhandled(caplog) == []

    assert command(app, slack_api, "/kudos", text, user)["text"].startswith(afterwards)


@pytest.mark.parametrize(
    ("text", "title"),
    [("gaps", "Knowledge gaps, last 7 days"), ("feedback", "Feedback on answers, last 7 days")],
)
def test_reports_say_try_again_while_the_database_is_down(
    app, breakable, slack_api, caplog, text, title
):
    with breakable.unavailable():
        reply = command(app, slack_api, "/reports", text, SUPERVISOR)

    assert (reply["response_type"], reply["text"]) == ("ephemeral", replies.SORRY_DATABASE)
    assert logged_failure(caplog, f"read the {text} report")
    assert unhandled(caplog) == []

    again = command(app, slack_api, "/reports", text, SUPERVISOR)

    assert again["blocks"][0]["text"]["text"] == title
