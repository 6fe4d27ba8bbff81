"""`/reports` through the real Bolt app: supervisors see the knowledge gaps and the feedback
on answers, made from rows the product itself stored (`/answer` misses, Not helpful and
suggested-edit forms, Mark reviewed); everyone else is refused with nothing read."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.kudos import aware
from bot.slack.blocks import answer as blocks
from bot.slack.blocks import answer_forms as modals
from bot.slack.blocks.reports import TRY, USAGE
from bot.slack.blocks.reviews import MARK_REVIEWED
from bot.store import kb, models
from handlers import replies

from ..apps import SECRET, signed_app
from .checks import assert_valid_message, shown
from .payloads import action_body, command_body, command_request, payload_request, submission_body

SUPERVISOR = "U0SUPER001"
REVIEWER = "U0REVIEW01"
NEW_YORK = "America/New_York"
# Thursday 12 March 2026, 11:00 in New York (EDT since the 8th).
THURSDAY = dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC)
LONG_AGO = dt.date(2020, 1, 6)  # articles last reviewed before any suggestion made in a test


def person() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def _articles(engine, make_article) -> None:
    kb.import_articles(
        engine,
        articles=[
            make_article(1, owner="Revenues team", reviewed=LONG_AGO),
            make_article(2, owner=None, reviewed=LONG_AGO),
        ],
    )


def _app(engine, slack_api, *, clock=None, timezone="Europe/London"):
    return signed_app(
        Settings(supervisors=[SUPERVISOR], reviewers=[REVIEWER], timezone=timezone),
        slack_api,
        engine=engine,
        process_before_response=True,
        clock=clock,
    )


@pytest.fixture
def app(engine, slack_api, make_article):
    """On the real clock: the rows the product stores are stamped with the time now."""
    _articles(engine, make_article)
    return _app(engine, slack_api)


def slash(app, fake, command: str, text: str, user: str) -> dict:
    body = command_body(text, user_id=user, response_url=fake.response_url("command"))
    body["command"] = command
    response = app.dispatch(command_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body)


def reports(app, fake, text: str, user: str = SUPERVISOR) -> dict:
    return slash(app, fake, "/reports", text, user)


def missed(app, fake, query: str, user: str) -> None:
    """A CSR's /answer that finds no confident answer (stored as a gap)."""
    reply = slash(app, fake, "/answer", query, user)
    assert "I couldn't find a confident answer" in reply["text"]


def submit(app, fake, user, callback_id, article_id, block_id, typed) -> None:
    private = modals.metadata(article_id, fake.response_url("card"))
    body = submission_body(callback_id, private, {block_id: typed}, user_id=user)
    assert app.dispatch(payload_request(SECRET, body)).status == 200


def press(app, fake, user, action_id, value) -> None:
    body = action_body(action_id, value, user_id=user, response_url=fake.response_url("card"))
    assert app.dispatch(payload_request(SECRET, body)).status == 200


def lines(reply: dict) -> list[str]:
    return shown(reply["blocks"]).splitlines()


def numbered(reply: dict) -> list[str]:
    """The report's numbered lines (the gaps)."""
    return [line for line in lines(reply) if re.match(r"\d+\. “", line)]


def latest_day(engine, table) -> str:
    """The day (in the default Europe/London) the newest of `table`'s rows was stored: the
    rows the product makes carry the real time."""
    with Session(engine) as session:
        newest = session.exec(select(func.max(table.created_at))).one()
    day = aware(newest).astimezone(Settings().tz).date()
    return f"{day.day} {day:%B %Y}"


# -- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "help",
        "gaps",
        "gaps week",
        "gaps month",
        "feedback",
        "feedback month",
        "cse",
        "cse year",
        "what",
    ],
)
def test_everyone_but_supervisors_is_refused_and_nothing_is_read(app, slack_api, engine, text):
    # With the tables gone, any read would fail: the refusal comes first.
    for table in (models.SearchLog, models.Feedback, models.EditSuggestion):
        table.__table__.drop(engine)

    reply = reports(app, slack_api, text, user=REVIEWER)  # reviewing grants no reports

    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == (
        "Only supervisors can see the reports (knowledge gaps and feedback on answers). "
        f"Ask <@{SUPERVISOR}>, or an admin to add you to `supervisors:` in app.yaml."
    )
    assert [call.method for call in slack_api.calls if call.method != "auth.test"] == []


@pytest.mark.parametrize("text", ["", "help", "HELP"])
def test_reports_alone_or_help_shows_a_supervisor_how_to_use_it(app, slack_api, text):
    reply = reports(app, slack_api, text)

    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == USAGE
    assert "`/reports gaps [week|month]`" in reply["text"]


@pytest.mark.parametrize("text", ["gap", "gaps fortnight", "gaps week month", "feedback all"])
def test_a_report_it_does_not_know_is_explained(app, slack_api, text):
    reply = reports(app, slack_api, text)

    assert reply["text"] == TRY


def test_a_database_that_cannot_be_read_says_sorry(app, slack_api, engine):
    models.SearchLog.__table__.drop(engine)
    models.Feedback.__table__.drop(engine)

    assert reports(app, slack_api, "gaps")["text"] == replies.SORRY_DATABASE
    assert reports(app, slack_api, "feedback")["text"] == replies.SORRY_DATABASE


# -- knowledge gaps ---------------------------------------------------------------------------


def test_gaps_are_the_misses_csrs_searched_for_most_redacted_and_escaped(app, slack_api, engine):
    sam, alex = person(), person()
    missed(app, slack_api, "parking permit renewal", sam)
    # As Slack sends it (should_escape): the CSR typed "pay a parking fine & charges <b>".
    missed(app, slack_api, "pay a parking fine &amp; charges &lt;b&gt;", sam)
    missed(app, slack_api, "Parking  PERMIT renewal", alex)
    missed(app, slack_api, "bins not collected at SW1A 1AA", alex)
    found = slash(app, slack_api, "/answer", "Test article number 1", sam)
    assert found["blocks"][0]["text"]["text"] == "Test article number 1"  # not a gap

    reply = reports(app, slack_api, "gaps")

    assert reply["response_type"] == "ephemeral"
    assert_valid_message(reply["blocks"])
    assert reply["blocks"][0]["text"]["text"] == "Knowledge gaps, last 7 days"
    listed = numbered(reply)
    day = latest_day(engine, models.SearchLog)
    assert listed == [
        # newest spelling of the most asked, then ties newest first
        f"1. “Parking PERMIT renewal”: 2 searches by 2 people, last {day}",
        f"2. “bins not collected at [postcode]”: 1 search by 1 person, last {day}",
        f"3. “pay a parking fine &amp; charges &lt;b&gt;”: 1 search by 1 person, last {day}",
    ]
    assert "4 searches found no confident answer" in shown(reply["blocks"])
    assert "SW1A" not in json.dumps(reply)


def test_an_empty_gap_report_says_so_plainly(engine, slack_api, make_article):
    _articles(engine, make_article)
    app = _app(engine, slack_api, clock=lambda: THURSDAY)

    reply = reports(app, slack_api, "gaps month")

    assert_valid_message(reply["blocks"])
    assert lines(reply) == [
        "Knowledge gaps, last 30 days",
        "No searches went without a confident answer in the last 30 days "
        "(11 February 2026 to 12 March 2026).",
    ]


def _gap(session: Session, query: str, at: dt.datetime, user: str = "U0CSR00001") -> None:
    session.add(
        models.SearchLog(user_id=user, query=query, answered=False, latency_ms=1.0, created_at=at)
    )


def _not_helpful(session: Session, reason: str, at: dt.datetime, article=1) -> None:
    session.add(
        models.Feedback(
            article_id=f"test-article-{article}",
            user_id="U0CSR00001",
            helpful=False,
            reason=reason,
            created_at=at,
        )
    )


@pytest.mark.parametrize(
    ("period", "first"),
    [("week", dt.date(2026, 3, 6)), ("month", dt.date(2026, 2, 11))],
)
def test_a_period_is_whole_days_in_the_configured_time_zone(
    engine, slack_api, make_article, period, first
):
    _articles(engine, make_article)
    app = _app(engine, slack_api, clock=lambda: THURSDAY, timezone=NEW_YORK)
    # New York midnight starting `first` (EST, UTC-5) and ending the 12th (EDT, UTC-4).
    start = dt.datetime.combine(first, dt.time(5), tzinfo=dt.UTC)
    end = dt.datetime(2026, 3, 13, 4, tzinfo=dt.UTC)
    second = dt.timedelta(seconds=1)
    with Session(engine) as session:
        for name, at in [
            ("just before", start - second),
            ("first moment", start),
            ("last moment", end - second),
            ("just after", end),
        ]:
            _gap(session, name, at)
            _not_helpful(session, name, at)
        session.commit()

    gaps = shown(reports(app, slack_api, f"gaps {period}")["blocks"])
    feedback = shown(reports(app, slack_api, f"feedback {period}")["blocks"])

    days = {"week": 7, "month": 30}[period]
    assert f"the last {days} days ({first.day} {first:%B} 2026 to 12 March 2026)" in gaps
    assert "1. “last moment”" in gaps and "2. “first moment”" in gaps
    assert "just" not in gaps
    assert "Not helpful 2 times, last 12 March 2026" in feedback
    assert ">last moment\n>first moment" in feedback
    assert "just" not in feedback


# -- feedback on answers ----------------------------------------------------------------------


def test_feedback_shows_not_helpful_marks_with_reasons_and_owners_and_edits_waiting(
    app, slack_api, engine
):
    sam, alex = person(), person()
    not_helpful = modals.NOT_HELPFUL_VIEW
    submit(app, slack_api, sam, not_helpful, "test-article-1", modals.REASON, "Out of date")
    submit(app, slack_api, alex, not_helpful, "test-article-1", modals.REASON, "<!here> & fee")
    submit(app, slack_api, alex, not_helpful, "test-article-2", modals.REASON, "")
    press(app, slack_api, sam, blocks.HELPFUL, blocks.button_value("test-article-1"))
    suggest = modals.SUGGEST_EDIT_VIEW
    submit(
        app, slack_api, sam, suggest, "test-article-2", modals.SUGGESTION, "Say 25%  off\nnot 20"
    )

    reply = reports(app, slack_api, "feedback")

    assert reply["response_type"] == "ephemeral"
    assert_valid_message(reply["blocks"])
    text = shown(reply["blocks"])
    day = latest_day(engine, models.Feedback)
    assert (
        "*Test article number 1* · Owner: Revenues team\n"
        f"Not helpful 2 times, last {day} · Helpful 1 time\n"
        ">&lt;!here&gt; &amp; fee\n"
        ">Out of date"
    ) in text
    assert (
        "*Test article number 2* · No owner set\n"
        f"Not helpful 1 time, last {day}\n"
        "_No reasons given._"
    ) in text
    assert text.index("Test article number 1") < text.index("Test article number 2")
    assert "2 articles, 3 times" in text
    waiting = text[text.index("*Suggested edits waiting*") :]
    assert (
        "*Test article number 2* · No owner set\n"
        f"1 suggested edit waiting, the latest {day}\n"
        f"<@{sam}>, {day}:\n"
        ">Say 25% off not 20"
    ) in waiting
    assert "<!here>" not in json.dumps(reply)


def test_a_suggestion_stops_waiting_once_the_article_is_marked_reviewed(app, slack_api):
    suggest = modals.SUGGEST_EDIT_VIEW
    submit(app, slack_api, person(), suggest, "test-article-1", modals.SUGGESTION, "Add the fee")
    assert "1 suggested edit waiting" in shown(reports(app, slack_api, "feedback")["blocks"])

    press(app, slack_api, REVIEWER, MARK_REVIEWED, "test-article-1")

    assert "No suggested edits are waiting." in shown(reports(app, slack_api, "feedback")["blocks"])
    submit(app, slack_api, person(), suggest, "test-article-1", modals.SUGGESTION, "And the date")
    again = shown(reports(app, slack_api, "feedback")["blocks"])
    assert "1 suggested edit waiting" in again
    assert ">And the date" in again and "Add the fee" not in again


def test_an_empty_feedback_report_says_so_plainly(engine, slack_api, make_article):
    _articles(engine, make_article)
    app = _app(engine, slack_api, clock=lambda: THURSDAY)

    reply = reports(app, slack_api, "feedback week")

    assert_valid_message(reply["blocks"])
    assert lines(reply) == [
        "Feedback on answers, last 7 days",
        "No answers were marked Not helpful in the last 7 days (6 March 2026 to 12 March 2026).",
        "No suggested edits are waiting.",
    ]


# -- long reports -----------------------------------------------------------------------------


def test_long_reports_stay_within_block_kit_limits_and_count_what_is_left_off(
    engine, slack_api, make_article
):
    kb.import_articles(engine, articles=[make_article(n, reviewed=LONG_AGO) for n in range(1, 61)])
    app = _app(engine, slack_api, clock=lambda: THURSDAY)
    long = "<&>" * 200  # escapes to three times the length
    with Session(engine) as session:
        for n in range(300):
            at = THURSDAY - dt.timedelta(minutes=n)
            _gap(session, f"{n} {long}", at)
        for n in range(1, 61):
            for _ in range(3):
                _not_helpful(session, long * 5, THURSDAY - dt.timedelta(hours=n), article=n)
            for _ in range(4):
                session.add(
                    models.EditSuggestion(
                        article_id=f"test-article-{n}",
                        user_id="U0CSR00001",
                        text=long * 5,
                        created_at=THURSDAY - dt.timedelta(hours=n),
                    )
                )
        session.commit()

    gaps = reports(app, slack_api, "gaps")
    feedback = reports(app, slack_api, "feedback")

    for reply in (gaps, feedback):
        assert_valid_message(reply["blocks"])
        assert len(reply["text"]) <= 3_000
    listed = numbered(gaps)
    assert listed[0].startswith("1. “0 &lt;&amp;&gt;")
    [more] = [line for line in lines(gaps) if line.startswith("…and")]
    assert more == f"…and {300 - len(listed)} more questions"
    text = shown(feedback["blocks"])
    articles = text.count("Not helpful 3 times, last")
    waiting = text.count("4 suggested edits waiting")
    assert 0 < articles < 60 and 0 < waiting < 60
    assert f"…and {60 - articles} more articles" in text
    assert f"…and {60 - waiting} more articles" in text
    assert text.count("…and 1 more suggestion\n") == waiting
