"""The Block Kit renderers alone: valid blocks, user text escaped, Slack's limits kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from bot.slack.blocks import answer as blocks
from bot.slack.blocks import answer_forms as modals
from bot.slack.blocks import base
from knowledge.search import Hit

from ....handlers.checks import (
    assert_valid_message,
    elements,
    shown,
    text_objects,
)
from .pages import GUIDANCE, TODAY

HOSTILE = {
    "<!channel> council tax": "&lt;!channel&gt; council tax",
    "<!here> bins": "&lt;!here&gt; bins",
    "<!subteam^S123> parking": "&lt;!subteam^S123&gt; parking",
    "&lt; already escaped": "&amp;lt; already escaped",
    "ask <@U123> about it": "ask &lt;@U123&gt; about it",
    "rent <https://x.example|click> & more": "rent &lt;https://x.example|click&gt; &amp; more",
}


def test_the_card_shows_the_script_facts_next_step_owner_and_review(article):
    card = blocks.answer_card(article, query="answer one", today=TODAY)

    assert_valid_message(card)
    text = shown(card)
    assert card[0] == {"type": "header", "text": {"type": "plain_text", "text": article.title}}
    assert "*Say:*\n>This is answer 1." in text
    assert "*Key facts*\n• A fact\n• Another fact" in text
    assert "*Next step:* Log the call." in text
    assert "Owner: Revenues team · Last reviewed 1 September 2026" in text
    assert "overdue" not in text


def test_the_card_has_its_five_buttons_carrying_what_each_needs(article):
    card = blocks.answer_card(article, query="answer one", today=TODAY)

    buttons = {b["action_id"]: b for b in elements(card)}
    assert list(buttons) == [
        blocks.SHARE,
        blocks.OTHER_MATCHES,
        blocks.HELPFUL,
        blocks.NOT_HELPFUL,
        blocks.SUGGEST_EDIT,
    ]
    assert [b["text"]["text"] for b in buttons.values()] == [
        "Share in channel",
        "Other matches",
        "Helpful",
        "Not helpful",
        "Suggest an edit",
    ]
    for action_id, button in buttons.items():
        expected = "answer one" if action_id == blocks.OTHER_MATCHES else None
        assert blocks.read_value(button["value"]) == (article.id, expected)


@pytest.mark.parametrize(
    ("reviewed", "note"),
    [
        (dt.date(2025, 11, 24), "Last reviewed 24 November 2025"),  # exactly twelve months
        (dt.date(2025, 11, 23), "*Review overdue*: last reviewed 23 November 2025"),
        (None, "*Review overdue*: never reviewed"),
    ],
)
def test_a_review_more_than_twelve_months_old_or_missing_is_flagged(make_article, reviewed, note):
    card = blocks.answer_card(make_article(reviewed=reviewed), query="q", today=TODAY)

    assert note in shown(card)
    assert ("overdue" in shown(card)) == ("overdue" in note)


def test_twelve_months_before_29_february_is_28_february():
    leap = dt.date(2028, 2, 29)
    assert not blocks.review_overdue(dt.date(2027, 2, 28), leap)
    assert blocks.review_overdue(dt.date(2027, 2, 27), leap)


def test_a_free_form_article_is_shown_as_written(make_article):
    card = blocks.answer_card(make_article(body="Just a paragraph."), query="q", today=TODAY)

    assert_valid_message(card)
    assert "Just a paragraph." in shown(card)
    assert "*Say:*" not in shown(card)


def test_an_empty_page_says_it_has_no_text(make_article):
    card = blocks.answer_card(make_article(body="  \n"), query="q", today=TODAY)

    assert_valid_message(card)
    assert "_This article has no text._" in shown(card)


PROCEDURE = """Say: "Some people qualify for a Blue Badge automatically."

1. Confirm the address and whether this is a renewal.
2. Check automatic eligibility, for example:
   - PIP with 8 points or more in moving around;
   - registered as severely sight impaired.
3. Take the application online.

Notes: organisations can apply for a badge too.
Next step: Send the caller the form link.
"""


def test_a_script_over_numbered_steps_shows_the_steps_as_written(make_article):
    # A council's own page: a line to read out, then steps with bullets under them. The
    # bullets alone, as key facts, would mean little; the steps and notes must not go.
    card = blocks.answer_card(make_article(body=PROCEDURE), query="q", today=TODAY)

    assert_valid_message(card)
    text = shown(card)
    assert "*Say:*\n>Some people qualify for a Blue Badge automatically." in text
    assert (
        "1. Confirm the address and whether this is a renewal.\n"
        "2. Check automatic eligibility, for example:\n"
        "• PIP with 8 points or more in moving around;\n"
        "• registered as severely sight impaired.\n"
        "3. Take the application online.\n\n"
        "Notes: organisations can apply for a badge too.\n"
        "Next step: Send the caller the form link."
    ) in text
    assert "*Key facts*" not in text
    assert text.count("Some people qualify") == 1


def test_a_script_under_another_label_is_quoted_over_the_rest_of_the_page(make_article):
    body = 'Script: "I can redo the bill from your reading."\n\nCheck:\n> the last actual read'
    card = blocks.answer_card(make_article(body=body), query="q", today=TODAY)

    assert_valid_message(card)
    text = shown(card)
    assert "*Say:*\n>I can redo the bill from your reading." in text
    assert "Check:\n&gt; the last actual read" in text
    assert "Script:" not in text


def test_a_next_step_beside_other_text_keeps_the_text(make_article):
    body = "Check the account for arrears first.\nNext step: Book the visit."
    card = blocks.answer_card(make_article(body=body), query="q", today=TODAY)

    assert_valid_message(card)
    assert "Check the account for arrears first.\nNext step: Book the visit." in shown(card)


def test_a_guidance_page_is_shown_as_written_with_its_opening_and_headings(make_article):
    # No script to read out: its opening lines and headings say as much as its bullets.
    card = blocks.answer_card(make_article(body=GUIDANCE), query="q", today=TODAY)

    assert_valid_message(card)
    text = shown(card)
    assert (
        "If only one adult lives in the property, the bill is reduced by 25 per cent.\n\n"
        "*Eligibility &lt;!channel&gt; &amp; more*\n\n"
        "• Only one adult lives there.\n"
        "• Students are not counted.\n\n"
        "*How to apply*\n"
        "Apply online with the date you started living alone."
    ) in text
    assert "*Say:*" not in text and "*Key facts*" not in text
    assert blocks.card_text(make_article(title="Single person discount", body=GUIDANCE)) == (
        "Single person discount: If only one adult lives in the property, the bill is reduced"
        " by 25 per cent."
    )


def test_a_long_guidance_page_is_shown_in_sections_slack_accepts(make_article):
    lines = [f"- Point {n:04d} of the guidance, with some words after it." for n in range(600)]
    whole = make_article(body="\n".join(lines[:120]))
    longest = make_article(body="\n".join(lines))

    card = blocks.answer_card(whole, query="q", today=TODAY)
    assert_valid_message(card)
    shown_whole = shown(card)
    places = [shown_whole.find(f"• {line[2:]}") for line in lines[:120]]
    assert -1 not in places and places == sorted(places)  # all of it, in order
    assert "…" not in shown_whole

    card = blocks.answer_card(longest, query="q", today=TODAY)
    assert_valid_message(card)
    sections = [b["text"]["text"] for b in card if b["type"] == "section"]
    assert len(sections) == blocks.GUIDANCE_SECTIONS
    assert all(len(text) <= base.SECTION_CHARS for text in sections)
    assert sections[0].startswith("• Point 0000") and sections[-1].endswith("\n…")
    assert "Point 0599" not in shown(card)


@pytest.mark.parametrize("query", list(HOSTILE))
def test_user_text_is_escaped_everywhere_it_is_echoed(article, query):
    hit = Hit(article, 0.5)
    rendered = {
        "card": blocks.answer_card(article, query=query, today=TODAY),
        "no match": blocks.no_match(query, [hit]),
        "other matches": blocks.other_matches(query, [hit]),
        "nothing near": blocks.other_matches(query, []),
        "feedback": modals.owner_feedback(article, user_id="U1", reason=query, today=TODAY)[1],
        "suggestion": modals.owner_suggestion(article, user_id="U1", text=query, today=TODAY)[1],
    }
    for name, message in rendered.items():
        assert_valid_message(message)
        text = shown(message)
        assert HOSTILE[query] in text, name
        assert query not in text, name
        for obj in (t for b in message for t in _mrkdwn_with(b, HOSTILE[query])):
            assert obj.get("verbatim") is True, f"{name}: user text must not be auto-linked"
    assert query not in blocks.no_match_text(query)


def _mrkdwn_with(block: dict, needle: str):
    return [t for t in text_objects(block) if t["type"] == "mrkdwn" and needle in t["text"]]


def test_article_text_is_escaped_too(make_article):
    article = make_article(body='Say: "Press <!channel> & go"\n- a > b\nNext step: <@U1>')

    text = shown(blocks.answer_card(article, query="q", today=TODAY))

    assert "&lt;!channel&gt; &amp; go" in text
    assert "• a &gt; b" in text
    assert "*Next step:* &lt;@U1&gt;" in text


def test_a_huge_article_is_cut_to_slacks_limits(huge):
    for message in (
        blocks.answer_card(huge, query="q", today=TODAY),
        blocks.shared_card(huge, user_id="U1", today=TODAY),
    ):
        assert_valid_message(message)
        text = shown(message)
        assert "…and " in text and " more" in text  # the facts that did not fit are counted
        assert "…" in message[0]["text"]["text"]  # the title, in the header
    free = blocks.answer_card(
        dataclasses.replace(huge, body="x&y " * 5_000), query="q", today=TODAY
    )
    assert_valid_message(free)


def test_long_titles_fit_on_buttons(huge):
    hits = [Hit(huge, 0.3)] * 3
    message = blocks.no_match("q", hits)

    assert_valid_message(message)
    assert all(len(b["text"]["text"]) <= base.BUTTON_CHARS for b in elements(message))


def test_cutting_never_leaves_half_an_entity():
    text = "a" * 2_997 + "&amp;" + "b" * 10

    cut = base.fit(text, 3_000)

    assert len(cut) <= 3_000
    assert cut == "a" * 2_997 + "…"


@pytest.mark.parametrize("character", ['"', "\\", "\x01", "é"])
def test_a_button_value_stays_under_2000_characters_whatever_the_query(character):
    value = blocks.button_value("x" * 200, character * 500)

    assert len(value) <= base.VALUE_CHARS
    article_id, query = blocks.read_value(value)
    assert article_id == "x" * 200
    assert set(query) == {character}


def test_a_value_that_is_not_ours_reads_as_an_article_id():
    assert blocks.read_value("plain-id") == ("plain-id", None)
    assert blocks.read_value(json.dumps([1, 2])) == ("[1, 2]", None)


def test_a_card_chosen_over_the_first_answer_teaches_from_share_and_helpful_only(article):
    card = blocks.answer_card(article, query="ctr apply", today=TODAY, teach=True)

    taught = {
        button["action_id"]: blocks.read_teaching(button["value"]) for button in elements(card)
    }
    assert taught[blocks.SHARE] == taught[blocks.HELPFUL] == (article.id, "ctr apply", True)
    for other in (blocks.OTHER_MATCHES, blocks.NOT_HELPFUL, blocks.SUGGEST_EDIT):
        assert taught[other][2] is False
    plain = blocks.answer_card(article, query="ctr apply", today=TODAY)
    assert all(not blocks.read_teaching(b["value"])[2] for b in elements(plain))


def test_a_query_cut_to_fit_a_button_teaches_nothing():
    value = blocks.button_value("x" * 200, '"' * 500 + "\x01" * 200, teach=True)

    assert len(value) <= base.VALUE_CHARS
    assert blocks.read_teaching(value)[2] is False  # half a question is not a phrasing
    assert blocks.read_teaching(blocks.button_value("a", "whole", teach=True))[2] is True
    assert blocks.read_teaching("plain-id") == ("plain-id", None, False)
    assert blocks.read_teaching('{"id": "a", "t": 1}') == ("a", None, False)  # nothing to teach


def test_no_match_says_so_and_offers_the_closest_titles(make_article):
    hits = [Hit(make_article(n), 0.2) for n in range(3)]

    message = blocks.no_match("bins", hits, truncated=True)

    assert_valid_message(message)
    text = shown(message)
    assert "Your text was over 500 characters, so I searched on the first 500." in text
    assert "I couldn't find a confident answer for “bins”." in text
    assert "noted this as a gap" in text
    buttons = elements(message)
    assert [b["text"]["text"] for b in buttons] == [h.article.title for h in hits]
    assert [b["action_id"] for b in buttons] == ["answer_open_0", "answer_open_1", "answer_open_2"]
    assert [blocks.read_value(b["value"]) for b in buttons] == [
        (h.article.id, "bins") for h in hits
    ]


def test_no_match_with_nothing_near_suggests_other_words():
    message = blocks.no_match("zzqx", [])

    assert_valid_message(message)
    assert "Try other words" in shown(message)
    assert elements(message) == []


def test_other_matches_lists_each_with_a_button_to_show_it(make_article):
    hits = [Hit(make_article(n), 0.6) for n in range(20)]

    message = blocks.other_matches("rent", hits)

    assert_valid_message(message)
    assert len(elements(message)) == 20
    assert {b["action_id"] for b in elements(message)} == {blocks.OPEN}
    assert "*Other matches for “rent”*" in shown(message)


def test_usage_gives_the_examples():
    message = blocks.usage()

    assert_valid_message(message)
    for example in blocks.EXAMPLES:
        assert f"`/answer {example}`" in shown(message)


def test_the_shared_card_credits_the_csr_and_has_no_buttons_or_query(article):
    message = blocks.shared_card(article, user_id="U0CSR", today=TODAY)

    assert_valid_message(message)
    assert message[-1]["elements"][0]["text"] == "Shared by <@U0CSR>"
    assert elements(message) == []
    assert "searched for" not in shown(message)
