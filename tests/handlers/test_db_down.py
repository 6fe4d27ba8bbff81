"""Every listener with its database taken away under a working app, for real (tests/db_faults:
the PostgreSQL server's connections cut and refused, the SQLite file gone), through the real
Bolt app: a kind reply, no unhandled error, nothing stored, the person's own words kept for
them, and the same request working once the database is back."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

import pytest

from bot import kb, models
from bot.app import CONSOLE_TOKEN, create_app, make_client
from bot.quiz import curriculum
from bot.reviews import ReviewItem
from bot.settings import Settings
from handlers import blocks, home, modals, replies, reviews
from handlers.kudos import unsaved
from handlers.training import nudge

from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_view, shown
from .conftest import OWNER_CHANNEL
from .kudos_app import KUDOS_CHANNEL, SECRET, SUPERVISOR, kudos, submit
from .listeners import SPD, rows
from .payloads import (
    action_body,
    command_body,
    command_request,
    event_request,
    payload_request,
    submission_body,
)

THURSDAY = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
QUIZ_DATE = dt.date(2026, 3, 5)


@pytest.fixture
def app(breakable, slack_api):
    """The app over the breakable database, built while it is up; each dispatch returns
    once the listener has finished."""
    settings = Settings(
        owners={"Revenues team": OWNER_CHANNEL},
        supervisors=[SUPERVISOR],
        channels={"kudos": KUDOS_CHANNEL},
        # No background look at the knowledge base's version in the middle of a test.
        knowledge={"refresh_seconds": 3600},
    )
    return create_app(
        settings,
        client=make_client(CONSOLE_TOKEN, base_url=slack_api.api_url),
        signing_secret=SECRET,
        engine=breakable.engine,
        process_before_response=True,
        clock=lambda: THURSDAY,
    )


@pytest.fixture
def user() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def unhandled(caplog) -> list[str]:
    """What was logged for an exception that escaped a listener or a middleware: Bolt's
    error handlers (its own, or the app's) log it with its traceback. A failure handled
    and told to the person is logged without one."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
        and (record.exc_info or record.getMessage().startswith("Failed to run"))
    ]


def logged_failure(caplog, what: str) -> bool:
    return f"Could not {what}: the database failed" in caplog.text


def command(app, fake, name: str, text: str, user: str) -> dict | None:
    """Type `NAME TEXT`; the acknowledgement's body (None when empty)."""
    body = command_body(text, user_id=user, response_url=fake.response_url("command"))
    body.update(command=name, trigger_id=uuid.uuid4().hex)
    response = app.dispatch(command_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body) if response.body else None


def press(app, fake, action_id: str, value: str, user: str, **extra) -> None:
    body = action_body(action_id, value, user_id=user, response_url=fake.response_url("card"))
    body.update(extra)
    response = app.dispatch(payload_request(SECRET, body))
    assert (response.status, response.body) == (200, "")


def told(fake) -> list[str]:
    """What was said through response URLs, in order."""
    return [call.body["text"] for call in fake.called(RESPONSE_URL)]


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
        assert kudos(app, slack_api, user, text) is None

    [apology] = told(slack_api)
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


# -- /training and the quiz ----------------------------------------------------------------


def test_enrolling_says_try_again_and_enrols_once_the_database_is_back(
    app, breakable, engine, slack_api, user, caplog
):
    with breakable.unavailable():
        assert command(app, slack_api, "/training", f"enrol <@{user}|sam>", SUPERVISOR) is None

    assert told(slack_api) == [replies.SORRY_DATABASE]
    assert logged_failure(caplog, "store an enrolment")
    assert unhandled(caplog) == []
    assert rows(engine, models.Enrolment) == []

    command(app, slack_api, "/training", f"enrol <@{user}|sam>", SUPERVISOR)

    assert told(slack_api)[1].startswith(f"<@{user}> is enrolled on the new-starter programme")
    [row] = rows(engine, models.Enrolment)
    assert row.user_id == user


def test_progress_says_try_again_while_the_database_is_down(
    app, breakable, slack_api, user, caplog
):
    with breakable.unavailable():
        reply = command(app, slack_api, "/training", "progress", user)

    assert (reply["response_type"], reply["text"]) == ("ephemeral", replies.SORRY_DATABASE)
    assert logged_failure(caplog, "read training progress")
    assert unhandled(caplog) == []

    again = command(app, slack_api, "/training", "progress", user)

    assert again["text"] == "You aren't on the new-starter programme."


def test_a_quiz_answer_says_try_again_and_counts_once_the_database_is_back(
    app, breakable, engine, slack_api, user, caplog
):
    quiz = next(prompt for prompt in curriculum() if prompt.is_quiz)
    button = nudge(quiz, day=quiz.day, date=QUIZ_DATE)[1][1]["elements"][quiz.answer]

    with breakable.unavailable():
        press(app, slack_api, button["action_id"], button["value"], user)

    assert told(slack_api) == [replies.SORRY_DATABASE]
    assert logged_failure(caplog, "record a quiz answer")
    assert unhandled(caplog) == []
    assert rows(engine, models.QuizAnswer) == []

    press(app, slack_api, button["action_id"], button["value"], user)

    assert ":white_check_mark: Right" in told(slack_api)[1]
    [row] = rows(engine, models.QuizAnswer)
    assert (row.user_id, row.correct) == (user, True)


# -- Mark reviewed and App Home ------------------------------------------------------------


def test_mark_reviewed_says_try_again_and_marks_once_the_database_is_back(
    app, breakable, engine, slack_api, caplog
):
    before = {a.id: a.reviewed for a in kb.load_from_db(engine)}[SPD]
    item = ReviewItem(
        article_id=SPD,
        title="Council Tax single person discount",
        owner="Revenues team",
        reviewed=None,
        overdue=True,
    )
    text, reminder = reviews.reminder("Revenues team", [item], since=dt.date(2026, 2, 26))
    message = {"type": "message", "text": text, "blocks": reminder, "ts": "1700000000.1"}

    with breakable.unavailable():
        press(app, slack_api, reviews.MARK_REVIEWED, SPD, SUPERVISOR, message=message)

    assert told(slack_api) == [replies.SORRY_DATABASE]
    assert logged_failure(caplog, "mark an article reviewed")
    assert unhandled(caplog) == []
    assert {a.id: a.reviewed for a in kb.load_from_db(engine)}[SPD] == before
    assert rows(engine, models.ArticleReview) == []

    press(app, slack_api, reviews.MARK_REVIEWED, SPD, SUPERVISOR, message=message)

    update = slack_api.called(RESPONSE_URL)[1]
    assert update.body["replace_original"] is True
    assert f"Reviewed 5 March 2026 by <@{SUPERVISOR}>" in shown(update.body["blocks"])
    assert {a.id: a.reviewed for a in kb.load_from_db(engine)}[SPD] == dt.date(2026, 3, 5)


def test_home_says_the_database_is_unreachable_rather_than_showing_nothing(
    app, breakable, slack_api, user, caplog
):
    opened = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
    command(app, slack_api, "/answer", "skip permit", user)

    with breakable.unavailable():
        assert app.dispatch(event_request(SECRET, opened)).status == 200

    [call] = slack_api.called("views.publish")
    view = call.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_view(view)
    assert home.UNAVAILABLE in shown(view["blocks"])
    assert "Nothing yet" not in shown(view["blocks"])
    assert logged_failure(caplog, "read App Home")
    assert unhandled(caplog) == []

    assert app.dispatch(event_request(SECRET, opened)).status == 200

    view = slack_api.called("views.publish")[1].body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "skip permit" in shown(view["blocks"])
    assert home.UNAVAILABLE not in shown(view["blocks"])
