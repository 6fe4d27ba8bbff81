"""`/kudos` with no text: the form (views.open), and its submission checked while the form
waits, with a refusal shown in the form by the field it is about."""

from __future__ import annotations

import pytest

from bot.slack.blocks import kudos as kudos_blocks
from handlers import replies

from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_message, assert_valid_view, shown
from .kudos_app import (  # noqa: F401 - fixtures
    _real_time,
    app,
    clock,
    engine,
    giver,
    kudos,
    person,
    posts,
    sent,
    stored,
    submit,
    told,
)


def test_kudos_with_no_text_opens_the_form(app, slack_api, giver):
    ack = kudos(app, slack_api, giver, "")

    assert ack is None
    [call] = slack_api.called("views.open")
    view = call.body["view"]
    assert_valid_view(view)
    assert view["callback_id"] == kudos_blocks.KUDOS_VIEW
    [recipients, value, message] = view["blocks"]
    assert recipients["element"]["type"] == "multi_users_select"
    assert [o["value"] for o in value["element"]["options"]] == [
        "empathy",
        "customer insight",
        "culture",
    ]
    assert message["element"]["max_length"] == 1_000
    assert kudos_blocks.read_metadata(view) == ("C0CALLS001", slack_api.response_url("kudos"))


def test_a_form_that_will_not_open_is_told_to_the_giver(app, slack_api, giver):
    slack_api.fail("views.open", "expired_trigger_id")

    kudos(app, slack_api, giver, "")

    assert told(slack_api) == [replies.SORRY_FORM]


def test_a_filled_in_form_is_stored_posted_and_confirmed(app, slack_api, engine, giver):
    alex, sam = person(), person()

    closed = submit(
        app, slack_api, giver, [alex, sam], "Calm & kind <with> a caller <!here>", "culture"
    )

    assert closed is None
    [post] = posts(slack_api)
    assert_valid_message(post.body["blocks"])
    assert post.body["blocks"][1]["text"]["text"] == (
        ">Calm &amp; kind &lt;with&gt; a caller &lt;!here&gt;"
    )
    assert "Value: *culture*" in shown(post.body["blocks"])
    assert [dm.body["channel"] for dm in sent(slack_api, "chat.postMessage")[1:]] == [alex, sam]
    [confirmation] = slack_api.called(RESPONSE_URL)
    assert confirmation.path == "/response/form"
    assert confirmation.body["text"].startswith(f"Thanks! Your kudos for <@{alex}> and <@{sam}>")
    [row] = stored(engine, giver)
    assert (row.message, row.value) == ("Calm & kind <with> a caller <!here>", "culture")


@pytest.mark.parametrize(
    ("who", "message", "profile", "errors"),
    [
        ("self", "for a great call today", None, {"recipients": "can't give one to yourself"}),
        ("other", "thanks!", None, {"message": "at least 3 words"}),
        ("other", "for a great call today", {"is_bot": True}, {"recipients": "@Robo is a bot"}),
        (
            "other",
            "for a great call today",
            {"deleted": True, "profile": {"display_name": "Old Sam"}},
            {"recipients": "@Old Sam's account has been deactivated"},
        ),
    ],
    ids=["self", "too-short", "bot", "deactivated"],
)
def test_a_form_that_breaks_a_rule_shows_why_in_the_form_and_stores_nothing(
    app, slack_api, engine, giver, who, message, profile, errors
):
    other = person()
    if profile is not None:
        slack_api.person(other, real_name="Robo", **profile)

    reply = submit(app, slack_api, giver, [giver if who == "self" else other], message)

    assert reply["response_action"] == "errors"
    [(field, expected)] = errors.items()
    assert list(reply["errors"]) == [field]
    assert expected in reply["errors"][field]
    assert "<@" not in reply["errors"][field]  # plain text in a form: names, not mentions
    assert stored(engine, giver) == []
    assert sent(slack_api) == []


def test_the_same_form_sent_twice_is_stored_and_posted_once(app, slack_api, engine, giver):
    alex = person()

    submit(app, slack_api, giver, [alex], "for a great call today", view_id="V0SAMEFORM")
    submit(app, slack_api, giver, [alex], "for a great call today", view_id="V0SAMEFORM")

    assert len(stored(engine, giver)) == 1
    assert len(posts(slack_api)) == 1
