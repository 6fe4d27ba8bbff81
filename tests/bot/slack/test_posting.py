"""bot.slack.posting on its own: a post that must appear once is looked for in the channel when
Slack's answer is missing or unsure (joining a public channel to look, not looking in one
named by #name or too busy to look through), and a refusal is raised at once."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.slack.posting import ATTEMPTS, NotPosted, PostUnsure, post_once

from ...slack_fake import RESET, SERVER_ERROR, TIMEOUT
from .test_faults import TRAINING, fast_client

# -- posting once, directly ------------------------------------------------------------------


def test_a_public_channel_deskmate_is_not_in_is_joined_to_look(slack_api):
    slack_api.fault("chat.postMessage", TIMEOUT, effect=True)
    slack_api.reply(
        "conversations.history", body={"ok": False, "error": "not_in_channel"}, once=True
    )

    ts = post_once(fast_client(slack_api), channel=TRAINING, text="Hello", key="k-join")

    assert ts == "1700000000.000100"
    assert [call.body["channel"] for call in slack_api.called("conversations.join")] == [TRAINING]
    assert len(slack_api.visible(TRAINING)) == 1


def test_a_channel_named_by_hash_name_cannot_be_looked_in(slack_api):
    slack_api.fault("chat.postMessage", TIMEOUT)

    with pytest.raises(PostUnsure, match=r"give the channel's ID \(such as C0123ABCD\)"):
        post_once(fast_client(slack_api), channel="#kudos", text="Hello", key="k-name")

    assert len(slack_api.called("chat.postMessage")) == 1  # not sent again blind


def test_a_channel_too_busy_to_look_through_is_left_unsure(slack_api):
    slack_api.fault("chat.postMessage", RESET)
    slack_api.reply(
        "conversations.history",
        body={
            "ok": True,
            "messages": [],
            "has_more": True,
            "response_metadata": {"next_cursor": "x"},
        },
    )

    with pytest.raises(PostUnsure, match="too many messages"):
        post_once(fast_client(slack_api), channel=TRAINING, text="Hello", key="k-busy")

    assert len(slack_api.called("chat.postMessage")) == 1


def test_a_refusal_is_raised_at_once_and_not_looked_for(slack_api):
    slack_api.fail("chat.postMessage", "channel_not_found")

    with pytest.raises(SlackApiError):
        post_once(fast_client(slack_api), channel=TRAINING, text="Hello", key="k-refused")

    assert len(slack_api.called("chat.postMessage")) == 1
    assert slack_api.called("conversations.history") == []


def test_an_internal_error_may_have_posted_so_it_is_looked_for(slack_api):
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "internal_error"}, once=True)

    post_once(fast_client(slack_api), channel=TRAINING, text="Hello", key="k-internal")

    assert len(slack_api.called("conversations.history")) == 1
    assert len(slack_api.visible(TRAINING)) == 1


def test_a_post_found_before_posting_is_not_posted(slack_api):
    client = fast_client(slack_api)
    post_once(client, channel=TRAINING, text="Hello", key="k-first")

    ts = post_once(client, channel=TRAINING, text="Hello", key="k-first", check_first=True)

    assert ts == "1700000000.000100"
    assert len(slack_api.called("chat.postMessage")) == 1


def test_not_posted_is_raised_when_every_attempt_went_unanswered_and_none_is_there(slack_api):
    slack_api.fault("chat.postMessage", SERVER_ERROR, status=500, times=ATTEMPTS)

    with pytest.raises(NotPosted, match="none of 3 attempts"):
        post_once(fast_client(slack_api), channel=TRAINING, text="Hello", key="k-none")

    assert slack_api.visible(TRAINING) == []
    assert len(slack_api.called("conversations.history")) == ATTEMPTS
