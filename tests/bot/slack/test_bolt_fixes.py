"""Bolt's wait for `ack()` (bot.slack.bolt_fixes): a real Bolt app's reply goes as soon as
the listener acks, not at Bolt's next 10 ms look, and the listener still carries on after
it; a thread with no Ack of its own waiting falls back to Bolt's own sleep."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlencode

from slack_bolt import Ack, App, BoltRequest
from slack_bolt.listener import thread_runner
from slack_sdk import WebClient

from bot.slack import bolt_fixes

WAIT_SECONDS = 10


def _command(text: str) -> BoltRequest:
    body = urlencode({"command": "/answer", "text": text, "user_id": "U1", "team_id": "T1"})
    return BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})


def test_the_reply_goes_when_the_listener_acks_while_it_carries_on_working(slack_api):
    bolt_fixes.apply()
    app = App(
        signing_secret="secret",
        client=WebClient(token="xoxb-test", base_url=slack_api.api_url),
        token_verification_enabled=False,
        request_verification_enabled=False,
    )
    release, finished = threading.Event(), threading.Event()

    @app.command("/answer")
    def answer(ack: Ack) -> None:
        ack("the approved answer")
        release.wait(WAIT_SECONDS)  # still working after the ack (a log write, say)
        finished.set()

    assert thread_runner.time is bolt_fixes._UntilAcked
    response = app.dispatch(_command("council tax"))

    assert (response.status, response.body) == (200, "the approved answer")
    assert not finished.is_set()  # the reply did not wait for the rest of the listener
    release.set()
    assert finished.wait(WAIT_SECONDS)


def test_the_wait_ends_when_another_thread_acks():
    waited: list[float] = []

    def dispatching_thread(made: list[Ack]) -> None:
        ack = bolt_fixes.SignalledAck()  # made here, as BoltContext makes it
        made.append(ack)
        started = time.monotonic()
        while ack.response is None:  # Bolt's loop, with a wait far longer than its 10 ms
            bolt_fixes._UntilAcked.sleep(WAIT_SECONDS)
        waited.append(time.monotonic() - started)

    made: list[Ack] = []
    thread = threading.Thread(target=dispatching_thread, args=(made,))
    thread.start()
    deadline = time.monotonic() + WAIT_SECONDS
    while not made and time.monotonic() < deadline:
        time.sleep(0.001)  # a poll for the other thread's Ack, bounded above
    made[0]("done")  # the listener's ack(), from this thread
    thread.join(WAIT_SECONDS)

    assert waited and waited[0] < WAIT_SECONDS / 2


def test_an_ack_already_given_does_not_make_the_wait_spin():
    def sleeps_for(seconds: float) -> float:
        started = time.monotonic()
        bolt_fixes._UntilAcked.sleep(seconds)
        return time.monotonic() - started

    finished: list[float] = []

    def in_a_fresh_thread() -> None:
        finished.append(sleeps_for(0.05))  # no Ack made here at all
        bolt_fixes.SignalledAck()("given")  # this thread's last Ack, already answered
        finished.append(sleeps_for(0.05))

    thread = threading.Thread(target=in_a_fresh_thread)
    thread.start()
    thread.join(WAIT_SECONDS)

    assert len(finished) == 2 and all(taken >= 0.05 for taken in finished)


def test_a_signalled_ack_is_still_bolts_ack():
    ack = bolt_fixes.SignalledAck()
    assert ack.response is None and not ack.given.is_set()

    response = ack(text="hello", response_type="ephemeral")

    assert ack.response is response and ack.given.is_set()
    assert response.status == 200 and '"response_type": "ephemeral"' in response.body
