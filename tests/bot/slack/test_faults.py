"""Slack misbehaving: rate limits (429 with Retry-After), error pages (5xx), replies that never
come (before or after Slack acted on the call) and connection resets, injected by the fake
Slack. A kudos given through the real app and a scheduled post sent through the scheduler's
own code each end up in the channel exactly once, recorded as posted; when the faults
outlast the retries nothing is lost, and the later retry posts it once. The app's client
gives Slack one second per call here, so a reply that never comes costs a second, not ten.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.entry.app import create_app
from bot.kudos import CLAIM_SECONDS
from bot.slack.blocks import answer as blocks
from bot.slack.client import make_client
from bot.slack.posting import ATTEMPTS, EVENT_TYPE
from bot.store import models
from bot.training import enrol
from handlers.replies import SORRY_FORM
from scheduler.delivery import JobContext
from scheduler.runs import Outcome, get_run
from scheduler.service import run_due, run_job

from ...databases import migrated_engine
from ...handlers.kudos_app import SECRET, Clock, kudos, person, stored, told
from ...handlers.payloads import action_body, payload_request
from ...slack_fake import RATE_LIMITED, RESET, RESPONSE_URL, SERVER_ERROR, TIMEOUT

TIMEOUT_SECONDS = 1
KUDOS_CHANNEL = "C0KUDOSFLT"
TRAINING = "C0TRAINFLT"
NINE = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # Monday 2 March 2026, 09:00 GMT
SPD = "benefits-single-person-discount"

# Each fault once: (id, kind, options). "after posting": Slack acted, the client never heard.
FAULTS = [
    pytest.param(RATE_LIMITED, {}, id="429-retry-after"),
    pytest.param(SERVER_ERROR, {"status": 500}, id="500-html"),
    pytest.param(SERVER_ERROR, {"status": 502, "body": ""}, id="502-empty"),
    pytest.param(SERVER_ERROR, {"status": 503, "effect": True}, id="503-after-posting"),
    pytest.param(TIMEOUT, {}, id="timeout-then-nothing"),
    pytest.param(TIMEOUT, {"effect": True}, id="timeout-after-posting"),
    pytest.param(RESET, {}, id="reset"),
    pytest.param(RESET, {"effect": True}, id="reset-after-posting"),
]


def fast_client(slack_api):
    """The app's client, giving Slack one second per call."""
    return make_client("xoxb-faults", base_url=slack_api.api_url, timeout=TIMEOUT_SECONDS)


# -- a kudos through the real app ----------------------------------------------------------


@pytest.fixture(scope="module")
def kudos_engine(tmp_path_factory):
    with migrated_engine(tmp_path_factory.mktemp("faults")) as engine:
        yield engine


@pytest.fixture(scope="module")
def clock():
    return Clock()


@pytest.fixture(autouse=True)
def _real_time(clock):
    clock.now = None


@pytest.fixture(scope="module")
def app(slack_server, kudos_engine, clock):
    settings = Settings(
        channels={"kudos": KUDOS_CHANNEL},
        owners={"Revenues team": "C0REVENUE1"},
        kudos={"values": ["empathy", "culture"], "daily_allowance": 5},
    )
    return create_app(
        settings,
        client=fast_client(slack_server),
        signing_secret=SECRET,
        engine=kudos_engine,
        process_before_response=True,
        clock=clock,
    )


def _about(slack_api, user_id: str, channel: str = KUDOS_CHANNEL) -> list:
    """What people in `channel` see that mentions `user_id`, once per post."""
    return [call for call in slack_api.visible(channel) if f"<@{user_id}>" in json.dumps(call.body)]


def _give(app, slack_api, alex: str) -> str:
    giver = person()
    kudos(app, slack_api, giver, f"<@{alex}> for calming a caller whose bill had doubled")
    return giver


@pytest.mark.parametrize(("kind", "options"), FAULTS)
def test_a_kudos_meeting_a_fault_is_posted_once_and_recorded(
    app, slack_api, kudos_engine, kind, options
):
    alex = person()
    slack_api.fault("chat.postMessage", kind, **options)

    giver = _give(app, slack_api, alex)

    [post] = _about(slack_api, alex)
    [row] = stored(kudos_engine, giver)
    assert post.body["metadata"] == {
        "event_type": EVENT_TYPE,
        "event_payload": {"key": f"kudos {row.id}"},
    }
    assert (row.posted_ts, row.claimed_at) == ("1700000000.000100", None)
    assert len(slack_api.visible(alex)) == 1  # the recipient's DM
    assert told(slack_api) == [f"Thanks! Your kudos for <@{alex}> is posted in <#{KUDOS_CHANNEL}>."]
    attempts = slack_api.called("chat.postMessage")
    assert attempts[0].fault == kind
    if options.get("effect"):
        assert [a.body["channel"] for a in attempts] == [KUDOS_CHANNEL, alex]  # not sent twice
    else:
        assert [a.body["channel"] for a in attempts][:2] == [KUDOS_CHANNEL, KUDOS_CHANNEL]


def test_a_post_slack_did_not_answer_is_looked_for_since_the_first_attempt(app, slack_api):
    alex = person()
    slack_api.fault("chat.postMessage", TIMEOUT)
    before = dt.datetime.now(dt.UTC)

    _give(app, slack_api, alex)

    [look] = slack_api.called("conversations.history")
    assert look.body["channel"] == KUDOS_CHANNEL
    assert look.body["include_all_metadata"] == "1"
    assert float(look.body["oldest"]) <= before.timestamp()
    assert len(_about(slack_api, alex)) == 1


def test_error_pages_that_outlast_the_retries_keep_the_kudos_for_one_later_post(
    app, slack_api, kudos_engine
):
    alex = person()
    slack_api.fault("chat.postMessage", SERVER_ERROR, status=503, times=ATTEMPTS)

    giver = _give(app, slack_api, alex)

    assert _about(slack_api, alex) == []
    [row] = stored(kudos_engine, giver)
    assert (row.posted_ts, row.claimed_at) == (None, None)  # free for the next retry pass
    assert "HTTP 503" in row.last_error
    assert told(slack_api)[0].startswith(f"Thanks! Your kudos for <@{alex}> is saved.")

    _give(app, slack_api, person())  # the next kudos anyone gives retries it first
    _give(app, slack_api, person())

    assert len(_about(slack_api, alex)) == 1
    assert len(slack_api.visible(alex)) == 1
    [row] = stored(kudos_engine, giver)
    assert row.posted_ts == "1700000000.000100"


def test_rate_limits_that_outlast_the_retries_keep_the_kudos_for_one_later_post(
    app, slack_api, kudos_engine
):
    alex = person()
    slack_api.fault("chat.postMessage", RATE_LIMITED, times=3)  # the first try and 2 retries

    giver = _give(app, slack_api, alex)

    assert _about(slack_api, alex) == []
    assert slack_api.called("conversations.history") == []  # Slack said it did nothing
    [row] = stored(kudos_engine, giver)
    assert (row.posted_ts, row.claimed_at) == (None, None)

    _give(app, slack_api, person())

    assert len(_about(slack_api, alex)) == 1


@pytest.mark.parametrize("effect", [True, False], ids=["it-went-out", "it-did-not"])
def test_a_kudos_slack_may_have_posted_is_looked_for_not_posted_again(
    app, slack_api, kudos_engine, clock, effect
):
    # The post gets no answer, and Slack's history cannot be read either (a wider outage).
    alex = person()
    slack_api.fault("chat.postMessage", TIMEOUT, effect=effect)
    slack_api.fault("conversations.history", TIMEOUT, times=3)

    giver = _give(app, slack_api, alex)

    [row] = stored(kudos_engine, giver)
    assert row.posted_ts is None and row.claimed_at is not None  # kept claimed: unsure
    assert "could not read the messages" in row.last_error
    assert told(slack_api)[0].startswith(f"Thanks! Your kudos for <@{alex}> is saved.")
    _give(app, slack_api, person())  # a retry pass while the claim holds leaves it alone
    assert len(_about(slack_api, alex)) == int(effect)
    assert slack_api.visible(alex) == []

    clock.now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=CLAIM_SECONDS + 1)
    _give(app, slack_api, person())  # the claim has run out: look, then post if need be

    assert len(_about(slack_api, alex)) == 1
    assert len(slack_api.visible(alex)) == 1
    [row] = stored(kudos_engine, giver)
    assert (row.posted_ts, row.claimed_at, row.last_error) == ("1700000000.000100", None, None)


def test_a_rate_limited_users_info_is_waited_out(app, slack_api, kudos_engine):
    alex = person()
    slack_api.fault("users.info", RATE_LIMITED)

    giver = _give(app, slack_api, alex)

    assert [call.fault for call in slack_api.called("users.info")][:2] == [RATE_LIMITED, None]
    assert len(_about(slack_api, alex)) == 1
    assert stored(kudos_engine, giver)[0].posted_ts is not None


def _not_helpful(app, slack_api):
    body = action_body(
        blocks.NOT_HELPFUL,
        blocks.button_value(SPD),
        user_id=person(),
        response_url=slack_api.response_url("card"),
    )
    return app.dispatch(payload_request(SECRET, body))


def test_answers_not_helpful_form_opens_after_a_rate_limit(app, slack_api):
    slack_api.fault("views.open", RATE_LIMITED)

    assert _not_helpful(app, slack_api).status == 200

    opened = slack_api.called("views.open")
    assert [call.fault for call in opened] == [RATE_LIMITED, None]
    assert opened[-1].took_effect is True
    assert [call.body["text"] for call in slack_api.called(RESPONSE_URL)] == []  # no "sorry"


@pytest.mark.parametrize(("kind", "options"), [FAULTS[1], FAULTS[2], FAULTS[4], FAULTS[6]])
def test_a_form_slack_may_have_opened_is_not_opened_again(app, slack_api, kind, options):
    """A trigger_id works once: after an error page or no answer the form is not asked for
    again (Slack may have opened it, or will refuse the used trigger); the CSR is told, and
    pressing the button again brings a new trigger."""
    slack_api.fault("views.open", kind, **options)

    assert _not_helpful(app, slack_api).status == 200

    assert [call.fault for call in slack_api.called("views.open")] == [kind]
    assert [call.body["text"] for call in slack_api.called(RESPONSE_URL)] == [SORRY_FORM]


# -- a scheduled post through the scheduler's code ----------------------------------------


def _ctx(engine, slack_api, settings=None) -> JobContext:
    return JobContext(
        settings=settings or Settings(channels={"training": TRAINING}),
        engine=engine,
        client_factory=lambda: fast_client(slack_api),
    )


@pytest.mark.parametrize(("kind", "options"), FAULTS)
def test_a_scheduled_post_meeting_a_fault_is_posted_once_and_the_run_done(
    engine, slack_api, kind, options
):
    slack_api.fault("chat.postMessage", kind, **options)

    outcome = run_job(_ctx(engine, slack_api), "training_nudge", NINE)

    [post] = slack_api.visible(TRAINING)
    assert "Training day" in json.dumps(post.body["blocks"])
    assert post.body["metadata"]["event_payload"] == {
        "key": f"training_nudge {NINE.isoformat()} {TRAINING}"
    }
    assert outcome is Outcome.DONE
    run = get_run(engine, "training_nudge", NINE)
    assert (run.status, run.attempts, run.error) == ("done", 1, None)
    assert run_job(_ctx(engine, slack_api), "training_nudge", NINE) is Outcome.TAKEN
    assert len(slack_api.visible(TRAINING)) == 1


def test_a_scheduled_post_whose_faults_outlast_the_retries_is_sent_once_by_the_retry(
    engine, slack_api
):
    slack_api.fault("chat.postMessage", TIMEOUT, times=ATTEMPTS)
    ctx = _ctx(engine, slack_api)

    [first] = run_due(ctx, NINE, ["training_nudge"])
    failed = get_run(engine, "training_nudge", NINE)
    [second] = run_due(ctx, NINE + dt.timedelta(minutes=5), ["training_nudge"])

    assert (first.outcome, second.outcome) == (Outcome.FAILED, Outcome.DONE)
    assert "Slack answered none of 3 attempts" in failed.error
    assert len(slack_api.visible(TRAINING)) == 1
    assert get_run(engine, "training_nudge", NINE).attempts == 2


def test_a_scheduled_post_that_may_have_gone_out_is_never_sent_again(engine, slack_api):
    # It went out, the answer was lost, and the channel could not be read to find out.
    slack_api.fault("chat.postMessage", TIMEOUT, effect=True)
    slack_api.fault("conversations.history", TIMEOUT, times=3)
    ctx = _ctx(engine, slack_api)

    [first] = run_due(ctx, NINE, ["training_nudge"])
    failed = get_run(engine, "training_nudge", NINE)
    run_due(ctx, NINE + dt.timedelta(minutes=5), ["training_nudge"])

    assert first.outcome is Outcome.FAILED
    assert "could not read the messages in C0TRAINFLT" in failed.error
    assert len(slack_api.visible(TRAINING)) == 1
    assert len(slack_api.called("chat.postMessage")) == 1


@pytest.mark.parametrize(("kind", "options"), [FAULTS[1], FAULTS[4], FAULTS[5], FAULTS[7]])
def test_a_new_starters_lesson_meeting_a_fault_is_sent_once(engine, slack_api, kind, options):
    starter = "U0FAULTST1"
    enrol(engine, user_id=starter, start_date=NINE.date(), tz=None, enrolled_by="U0SUPER001")
    slack_api.fault("chat.postMessage", kind, **options)

    outcome = run_job(_ctx(engine, slack_api, Settings()), "starter_lessons", NINE)

    assert outcome is Outcome.DONE
    [lesson] = slack_api.visible(starter)
    assert "New-starter lesson 1 of 50" in json.dumps(lesson.body["blocks"])
    [opened] = slack_api.called("conversations.open")  # its DM, to look in
    assert opened.body["users"] == starter
    with Session(engine) as session:
        assert len(session.exec(select(models.LessonDelivery)).all()) == 1
