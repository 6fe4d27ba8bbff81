"""`/training`, quiz answers, Mark reviewed and App Home with the database taken away under
a working app, for real (tests/db_faults): a kind reply, nothing stored, and the same request
working once the database is back."""

from __future__ import annotations

import datetime as dt
import json

from bot.reviews import ReviewItem
from bot.slack.blocks import home as home_blocks
from bot.slack.blocks import reviews as reviews_blocks
from bot.slack.blocks.training import nudge
from bot.store import kb, models
from bot.training import curriculum
from handlers import replies, reviews

from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_view, shown
from .db_down_app import (  # noqa: F401 - fixtures
    QUIZ_DATE,
    app,
    command,
    logged_failure,
    press,
    told,
    unhandled,
    user,
)
from .kudos_app import SECRET, SUPERVISOR
from .listeners import SPD, rows
from .payloads import event_request

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
    text, reminder = reviews_blocks.reminder("Revenues team", [item], since=dt.date(2026, 2, 26))
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
    assert replies.SORRY_DATABASE in shown(view["blocks"])
    assert home_blocks.UNAVAILABLE in shown(view["blocks"])
    assert "Nothing yet" not in shown(view["blocks"])
    assert logged_failure(caplog, "read App Home")
    assert unhandled(caplog) == []

    assert app.dispatch(event_request(SECRET, opened)).status == 200

    view = slack_api.called("views.publish")[1].body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "skip permit" in shown(view["blocks"])
    assert home_blocks.UNAVAILABLE not in shown(view["blocks"])
