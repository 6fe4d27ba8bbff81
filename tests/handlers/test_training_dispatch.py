"""`/training` through the real Bolt app: supervisors enrol (checked with users.info on the
fake Web API), everyone else is refused privately with nothing stored, and progress is one's
own unless asked by a supervisor."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from urllib.parse import urlencode

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.store import models
from bot.training import deliver_lesson, enrol
from handlers import replies

from ..apps import SECRET, signed_app
from ..slack_fake import RESPONSE_URL
from .payloads import command_body, signed

SUPERVISOR = "U0SUPER001"
THURSDAY = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)


@pytest.fixture
def app(slack_api, engine):
    return signed_app(
        Settings(supervisors=[SUPERVISOR]),
        slack_api,
        engine=engine,
        process_before_response=True,
        clock=lambda: THURSDAY,
    )


def person() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def training(app, fake, user, text):
    """Type `/training TEXT` as `user`; the acknowledgement's body (None when empty)."""
    body = command_body(text, user_id=user, response_url=fake.response_url("training"))
    body.update(command="/training")
    raw = urlencode(body)
    response = app.dispatch(
        BoltRequest(body=raw, headers=signed(SECRET, raw, "application/x-www-form-urlencoded"))
    )
    assert response.status == 200
    return json.loads(response.body) if response.body else None


def told(fake) -> list[str]:
    return [call.body["text"] for call in fake.called(RESPONSE_URL)]


def enrolments(engine) -> list[models.Enrolment]:
    with Session(engine) as session:
        return list(session.exec(select(models.Enrolment)).all())


def test_a_supervisor_enrols_a_starter_from_the_next_working_day(app, slack_api, engine):
    starter = person()
    slack_api.person(starter, tz="America/New_York")

    assert training(app, slack_api, SUPERVISOR, f"enrol <@{starter}|sam>") is None

    [row] = enrolments(engine)
    assert (row.user_id, row.start_date, row.tz, row.enrolled_by) == (
        starter,
        dt.date(2026, 3, 6),  # Thursday's next working day is the Friday
        "America/New_York",
        SUPERVISOR,
    )
    assert told(slack_api) == [
        f"<@{starter}> is enrolled on the new-starter programme. Lesson 1 of 50 arrives by "
        "direct message on Friday 6 March 2026, then one each working day."
    ]


def test_a_start_date_can_be_given_and_a_weekend_one_starts_on_monday(app, slack_api, engine):
    starter = person()
    training(app, slack_api, SUPERVISOR, f"enrol <@{starter}|sam> 2026-03-07")

    [row] = enrolments(engine)
    assert row.start_date == dt.date(2026, 3, 7)
    assert "Monday 9 March 2026" in told(slack_api)[0]


def test_only_supervisors_can_enrol(app, slack_api, engine):
    reply = training(app, slack_api, person(), f"enrol <@{person()}|sam>")

    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Only supervisors can enrol new starters.")
    assert enrolments(engine) == []
    assert slack_api.called("users.info") == []


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"is_bot": True}, "is a bot"),
        ({"deleted": True}, "account has been deactivated"),
        ({"missing": True}, "I couldn't find"),
    ],
)
def test_bots_deactivated_and_unknown_people_are_refused(app, slack_api, engine, fields, refusal):
    starter = person()
    slack_api.person(starter, **fields)

    training(app, slack_api, SUPERVISOR, f"enrol <@{starter}|x>")

    [text] = told(slack_api)
    assert refusal in text
    assert enrolments(engine) == []


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("enrol", "Say who to enrol"),
        ("enrol sam", "Say who to enrol"),
        ("enrol <@U0SAM00001|sam> 6/3/2026", "written like 2026-03-06"),
        ("enrol <@U0SAM00001|sam> 2026-02-30", "isn't a date on the calendar"),
        ("enrol <@U0SAM00001|sam> 2026-03-04", "has passed"),
    ],
)
def test_bad_enrolments_are_explained_and_change_nothing(app, slack_api, engine, text, refusal):
    reply = training(app, slack_api, SUPERVISOR, text)

    assert reply["response_type"] == "ephemeral"
    assert refusal in reply["text"]
    assert enrolments(engine) == []


def test_with_no_lessons_in_the_knowledge_base_enrolment_is_refused(slack_api, engine):
    app = signed_app(
        Settings(supervisors=[SUPERVISOR], knowledge={"bundled": "none"}),
        slack_api,
        engine=engine,
        process_before_response=True,
        clock=lambda: THURSDAY,
    )

    reply = training(app, slack_api, SUPERVISOR, f"enrol <@{person()}|sam>")

    assert reply["response_type"] == "ephemeral"
    assert "no lessons to send" in reply["text"]
    assert enrolments(engine) == []
    assert slack_api.called("users.info") == []


def test_re_enrolling_an_active_starter_is_refused_kindly(app, slack_api, engine):
    starter = person()
    training(app, slack_api, SUPERVISOR, f"enrol <@{starter}|sam> 2026-03-09")
    training(app, slack_api, SUPERVISOR, f"enrol <@{starter}|sam> 2026-03-16")

    assert told(slack_api)[1] == (
        f"<@{starter}> is already on the new-starter programme (since 9 March 2026), "
        "so nothing has changed."
    )
    [row] = enrolments(engine)
    assert row.start_date == dt.date(2026, 3, 9)


def test_slack_being_unavailable_stores_nothing_and_says_so(app, slack_api, engine):
    slack_api.reply("users.info", status=500, body="oops")

    training(app, slack_api, SUPERVISOR, f"enrol <@{person()}|sam>")

    assert "couldn't check who that is" in told(slack_api)[0]
    assert enrolments(engine) == []


def _started(engine, starter) -> None:
    row = enrol(
        engine,
        user_id=starter,
        start_date=dt.date(2026, 3, 2),
        tz=None,
        enrolled_by=SUPERVISOR,
    )
    for lesson in (1, 2, 3):
        deliver_lesson(
            engine,
            row.id,
            lesson=lesson,
            prompt_day=lesson,
            lesson_date=dt.date(2026, 3, 1 + lesson),
            send=lambda: None,
        )


def test_anyone_sees_their_own_progress(app, slack_api, engine):
    starter = person()
    _started(engine, starter)

    reply = training(app, slack_api, starter, "progress")

    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == (
        "You are on lesson 3 of 50 (started 2 March 2026). Lessons sent: 3 of 50. "
        "No quiz answers yet."
    )


def test_a_supervisor_sees_a_starters_progress_and_others_are_refused(app, slack_api, engine):
    starter = person()
    _started(engine, starter)

    seen = training(app, slack_api, SUPERVISOR, f"progress <@{starter}|sam>")
    refused = training(app, slack_api, person(), f"progress <@{starter}|sam>")
    nobody = training(app, slack_api, SUPERVISOR, f"progress <@{person()}|alex>")

    assert seen["text"].startswith(f"<@{starter}> is on lesson 3 of 50")
    # The progress alone, not the whole /training help under it.
    assert [block["type"] for block in seen["blocks"]] == ["section"]
    assert "/training enrol" not in str(seen["blocks"])
    assert refused["text"].startswith("Only supervisors can see someone else's progress.")
    assert nobody["text"].endswith("isn't on the new-starter programme.")


@pytest.mark.parametrize("text", ["", "help", "what"])
def test_training_alone_or_help_shows_how_to_use_it(app, slack_api, text):
    reply = training(app, slack_api, person(), text)

    assert reply["response_type"] == "ephemeral"
    assert "/training enrol @name [YYYY-MM-DD]" in reply["text"]


def test_a_database_that_cannot_be_read_is_told_not_crashed(app, slack_api, engine):
    models.LessonDelivery.__table__.drop(engine)
    models.Enrolment.__table__.drop(engine)
    starter = person()

    reply = training(app, slack_api, starter, "progress")
    training(app, slack_api, SUPERVISOR, f"enrol <@{starter}|sam>")

    assert reply["text"] == replies.SORRY_DATABASE
    assert told(slack_api) == [replies.SORRY_DATABASE]
