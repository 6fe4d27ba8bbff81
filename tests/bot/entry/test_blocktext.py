"""Block Kit as terminal text (bot.entry.blocktext) and the console's local stand-in for Slack
(bot.entry.local_slack)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.entry.blocktext import Renderer, mrkdwn
from bot.entry.local_slack import LocalSlack
from bot.slack.blocks import answer as answer_blocks


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Shared by <@U0CONSOLE>", "Shared by @you"),
        ("ask <@U0OTHER>", "ask @U0OTHER"),
        ("in <#C0GENERAL|general> or <#C0OTHER>", "in #general or #C0OTHER"),
        ("<!here> and <!channel>", "@here and @channel"),
        ("<https://example.gov.uk/spd|apply online>", "apply online (https://example.gov.uk/spd)"),
        ("<https://example.gov.uk>", "https://example.gov.uk"),
        (
            "*Key facts* and _this_ but 2*3*4 and snake_case_name",
            "Key facts and this but 2*3*4 and snake_case_name",
        ),
        ("&lt;!channel&gt; &amp; friends", "<!channel> & friends"),
        (">Say this\n&gt;and this", "| Say this\n| and this"),
    ],
)
def test_mrkdwn_reads_as_a_person_would_see_it(text, shown):
    assert mrkdwn(text, {"U0CONSOLE": "you"}) == shown


def test_buttons_are_numbered_across_sections_and_actions():
    renderer = Renderer()
    lines = renderer.blocks(
        [
            {"type": "header", "text": {"type": "plain_text", "text": "Title"}},
            {
                "type": "section",
                "block_id": "one",
                "text": {"type": "mrkdwn", "text": "First"},
                "accessory": {
                    "type": "button",
                    "action_id": "a",
                    "text": {"type": "plain_text", "text": "Show"},
                },
            },
            {"type": "divider"},
            {
                "type": "actions",
                "block_id": "two",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "b",
                        "text": {"type": "plain_text", "text": "Go"},
                    },
                    {
                        "type": "button",
                        "action_id": "c",
                        "url": "https://example.gov.uk",
                        "text": {"type": "plain_text", "text": "Site"},
                    },
                ],
            },
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "small print"},
                    {"type": "image", "alt_text": "logo"},
                ],
            },
        ]
    )

    assert lines == [
        "  Title",
        "  =====",
        "  First",
        "  [1] Show",
        "  " + "-" * 40,
        "  [2] Go   [3] Site (https://example.gov.uk)",
        "    small print  ·  [logo]",
    ]
    assert [(c.element["action_id"], c.block_id) for c in renderer.controls] == [
        ("a", "one"),
        ("b", "two"),
        ("c", "two"),
    ]


def test_a_message_without_blocks_shows_its_text_wrapped():
    lines = Renderer().message({"text": "word " * 30})

    assert len(lines) == 2
    assert all(len(line) <= 78 for line in lines)


def test_the_answer_card_renders_with_every_button(make_article):
    article = make_article(1, title="Bins & <recycling>")
    card = answer_blocks.answer_card(article, query="bins", today=dt.date(2026, 11, 24))

    renderer = Renderer()
    text = "\n".join(renderer.blocks(card))

    assert text.startswith("  Bins & <recycling>\n")
    assert "| This is answer 1." in text
    assert [c.label for c in renderer.controls] == [
        "Share in channel",
        "Other matches",
        "Helpful",
        "Not helpful",
        "Suggest an edit",
    ]


# -- the local stand-in for Slack ---------------------------------------------------------------


def test_local_slack_records_web_api_calls_and_answers_like_slack():
    with LocalSlack() as slack:
        client = WebClient(token="xoxb-x", base_url=slack.api_url)
        posted = client.chat_postMessage(
            channel="#kb-owners",
            text="hi",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
        )
        opened = client.views_open(trigger_id="t", view={"type": "modal", "blocks": []})
        form = client.api_call(
            "chat.postEphemeral",
            params={"channel": "C1", "user": "U1", "blocks": json.dumps([{"type": "divider"}])},
        )
        events = slack.take_events()

    assert posted["ok"] and posted["channel"] == "#kb-owners" and posted["ts"]
    assert opened["view"]["id"].startswith("V")
    assert form["ok"]
    assert [event.kind for event in events] == [
        "chat.postMessage",
        "views.open",
        "chat.postEphemeral",
    ]
    assert events[0].args["blocks"][0]["text"]["text"] == "hi"
    assert events[2].args["blocks"] == [{"type": "divider"}]  # form-encoded JSON, decoded


def test_local_slack_records_posts_to_a_response_url_once():
    with LocalSlack() as slack:
        url = slack.new_response_url()
        response = WebhookClient(url).send(text="thanks", response_type="ephemeral")
        events = slack.take_events()
        again = slack.take_events()

    assert response.status_code == 200
    assert [(e.kind, e.args["text"]) for e in events] == [("response_url", "thanks")]
    assert again == []


def test_known_shortcodes_are_emoji_and_others_stay_as_typed():
    from bot.entry.blocktext import mrkdwn, plain

    assert mrkdwn(":warning: Review overdue :white_check_mark:") == "⚠️ Review overdue ✅"
    assert plain(":tada: Kudos") == "🎉 Kudos"
    assert mrkdwn("ratio 3:2 at 10:30 :not_an_emoji:") == "ratio 3:2 at 10:30 :not_an_emoji:"
