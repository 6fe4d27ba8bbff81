"""/kudos in HTTP mode: `deskmate serve --http` started for real (gunicorn, two workers, the
listener finishing after the acknowledgement as in production) and sent signed requests
over loopback; the Web API it calls is the recording fake."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from bot.store import db, models

from ...databases import new_database
from ...slack_fake import RESPONSE_URL
from .http_server import BOT_TOKEN, Server, running_server

KUDOS_CHANNEL = "C0KUDOS0HTTP"


@pytest.fixture(scope="module")
def server(tmp_path_factory, slack_server) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("http-kudos")
    config = f"channels:\n  kudos: {KUDOS_CHANNEL}\n"
    with (
        new_database(folder) as url,
        running_server(folder, config, slack_server.api_url, url) as running,
    ):
        yield running


def _kudos(
    server: Server,
    fake,
    text: str,
    *,
    user: str = "U0GIVERHTTP",
    name: str = "k",
    retry: int | None = None,
):
    body = urlencode(
        {
            "command": "/kudos",
            "text": text,
            "user_id": user,
            "user_name": "giver",
            "channel_id": "C0CALLS01",
            "channel_name": "calls",
            "team_id": "T0COUNCIL",
            "api_app_id": "A0DESKMATE",
            "response_url": fake.response_url(name),
            "trigger_id": f"trigger-{name}",
        }
    )
    status, reply = server.post(body, retry=retry)
    assert status == 200, reply
    return json.loads(reply) if reply else None


def _stored(server: Server, giver: str) -> list[models.Kudos]:
    engine = db.make_engine(server.database_url)
    try:
        with db.session(engine) as session:
            rows = list(session.exec(select(models.Kudos).where(models.Kudos.giver_id == giver)))
            session.expunge_all()
            return rows
    finally:
        engine.dispose()


def test_a_kudos_is_posted_escaped_dmed_and_confirmed(server, slack_api):
    ack = _kudos(
        server, slack_api, "<@U0ALEX0001|alex> <!channel> for calm &lt;3 calls today #culture"
    )

    assert ack["text"] == (
        "Thanks! Your kudos for <@U0ALEX0001> is saved, and I'm posting it in "
        f"<#{KUDOS_CHANNEL}> now."
    )
    [confirmation] = slack_api.wait_for(RESPONSE_URL)
    assert confirmation.body["text"] == (
        f"Thanks! Your kudos for <@U0ALEX0001> is posted in <#{KUDOS_CHANNEL}>."
    )
    post, dm = slack_api.called("chat.postMessage")
    assert post.body["channel"] == KUDOS_CHANNEL
    assert post.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    blocks = (
        json.loads(post.body["blocks"])
        if isinstance(post.body["blocks"], str)
        else post.body["blocks"]
    )
    assert blocks[1]["text"]["text"] == ">&lt;!channel&gt; for calm &lt;3 calls today"
    assert "<!channel>" not in json.dumps(post.body)
    assert dm.body["channel"] == "U0ALEX0001"


def test_kudos_to_yourself_is_refused_in_the_acknowledgement(server, slack_api):
    ack = _kudos(server, slack_api, "<@U0SELF0001|me> for my own great work", user="U0SELF0001")

    assert ack["response_type"] == "ephemeral"
    assert "can't give one to yourself" in ack["text"]
    assert _stored(server, "U0SELF0001") == []


def test_a_failed_post_is_posted_once_by_the_next_kudos(server, slack_api):
    unavailable = {"ok": False, "error": "service_unavailable"}
    slack_api.reply("chat.postMessage", body=unavailable, once=True)

    _kudos(server, slack_api, "<@U0FIRST001> for a first rate call", user="U0RETRY001", name="a")
    [saved] = slack_api.wait_for(RESPONSE_URL)
    assert "is saved. I couldn't post it" in saved.body["text"]
    # The next kudos, on whichever worker, first posts the one waiting.
    _kudos(server, slack_api, "<@U0SECOND01> for a second rate call", user="U0RETRY002", name="b")
    slack_api.wait_for(RESPONSE_URL, 2)

    about_first = [
        call
        for call in slack_api.called("chat.postMessage")
        if call.body["channel"] == KUDOS_CHANNEL and "U0FIRST001" in json.dumps(call.body)
    ]
    assert len(about_first) == 2  # the failure, then the one post that worked
    [row] = _stored(server, "U0RETRY001")
    assert row.posted_ts is not None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("<@U0ALEX0001|alex> hi", "at least 3 words"),
        ("<@U0ALEX0001|alex> " + "great call " * 120, "1,000"),
        ("<@U0ALEX0001|alex> for a lovely calm call #sparkle", "#sparkle"),
        ("for a lovely calm call", "Start with who the kudos is for"),
    ],
    ids=["too-short", "too-long", "unknown-value", "nobody"],
)
def test_refusals_in_the_acknowledgement_store_nothing(server, slack_api, text, says):
    giver = "U0RULES0001"
    ack = _kudos(server, slack_api, text, user=giver)

    assert ack["response_type"] == "ephemeral"
    assert says in ack["text"]
    assert _stored(server, giver) == []
    assert slack_api.called("chat.postMessage") == []


@pytest.mark.parametrize(
    ("person", "says"),
    [({"is_bot": True}, "bot"), ({"deleted": True}, "deactivated"), ({"missing": True}, "find")],
    ids=["bot", "deactivated", "unknown"],
)
def test_bots_deactivated_and_unknown_people_are_refused_privately(server, slack_api, person, says):
    giver = "U0CHECKS001"
    slack_api.person("U0NOTAPERS1", **person)

    ack = _kudos(server, slack_api, "<@U0NOTAPERS1> for a lovely calm call", user=giver)

    assert ack["response_type"] == "ephemeral"  # refused in the acknowledgement
    assert says in ack["text"]
    assert _stored(server, giver) == []
    assert slack_api.called("chat.postMessage") == []


def test_a_slack_retry_of_the_same_request_creates_nothing_twice(server, slack_api):
    giver = "U0RETRYSL01"
    text = "<@U0ALEX0001|alex> for sorting out a tricky bill"

    _kudos(server, slack_api, text, user=giver, name="first")
    _kudos(server, slack_api, text, user=giver, name="first", retry=1)
    slack_api.wait_for(RESPONSE_URL)
    # A later kudos, answered once both earlier requests have been taken in.
    _kudos(server, slack_api, "<@U0ALEX0001|alex> for a second good call", name="later")
    slack_api.wait_for(RESPONSE_URL, 2)

    assert len(_stored(server, giver)) == 1
    public = [
        call
        for call in slack_api.called("chat.postMessage")
        if call.body["channel"] == KUDOS_CHANNEL and "tricky bill" in json.dumps(call.body)
    ]
    assert len(public) == 1
