"""The training quiz's buttons through `app.dispatch`: each person's answer is recorded once,
however often they press, and they are told privately with the article's card."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.slack.blocks.training import nudge
from bot.store import models
from bot.training import curriculum

from ..apps import SECRET, signed_app
from ..slack_fake import RESPONSE_URL
from .payloads import action_body, payload_request

DATE = dt.date(2026, 3, 3)


def _press(app, fake, button: dict, user: str) -> None:
    body = action_body(
        button["action_id"], button["value"], user_id=user, response_url=fake.response_url("quiz")
    )
    response = app.dispatch(payload_request(SECRET, body))
    assert response.status == 200


def test_a_quiz_answer_is_recorded_once_when_pressed_twice(engine, slack_api):
    quiz = next(prompt for prompt in curriculum() if prompt.is_quiz)
    _, blocks = nudge(quiz, day=quiz.day, date=DATE)
    buttons = blocks[1]["elements"]
    wrong = next(b for n, b in enumerate(buttons) if n != quiz.answer)
    right = buttons[quiz.answer]
    app = signed_app(Settings(), slack_api, engine=engine, process_before_response=True)

    _press(app, slack_api, wrong, "U0QUIZ0001")
    _press(app, slack_api, right, "U0QUIZ0001")  # a change of mind does not count

    with Session(engine) as session:
        [row] = session.exec(select(models.QuizAnswer)).all()
    assert (row.user_id, row.day, row.prompt_date, row.correct) == (
        "U0QUIZ0001",
        quiz.day,
        DATE,
        False,
    )
    first, second = slack_api.called(RESPONSE_URL)
    assert first.body["response_type"] == "ephemeral"
    assert "Not quite" in first.body["text"]
    assert "already answered" in second.body["text"] and "Not quite" in second.body["text"]
    assert json.dumps(first.body["blocks"]).count('"type": "header"') == 1  # the article card
