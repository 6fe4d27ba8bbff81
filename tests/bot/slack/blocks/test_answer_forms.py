"""The edit and feedback forms' renderers alone (bot/slack/blocks/answer_forms.py): valid
views, what the page says now, Slack's limits kept."""

from __future__ import annotations

import pytest

from bot.slack.blocks import answer_forms as modals

from ....handlers.checks import assert_valid_message, assert_valid_view, shown
from .pages import GUIDANCE, TODAY


@pytest.mark.parametrize("view_for", [modals.not_helpful_view, modals.suggest_edit_view])
def test_the_modals_are_valid_views_carrying_the_article_and_response_url(huge, view_for):
    private = modals.metadata(huge.id, "https://hooks.slack.com/actions/T1/2/abc")

    view = view_for(huge, private=private)

    assert_valid_view(view)
    assert modals.read_metadata(view) == (huge.id, "https://hooks.slack.com/actions/T1/2/abc", None)


def test_the_edit_form_shows_what_a_script_says_now(make_article):
    script = make_article(body='Say: "The bill is reduced by 25 per cent & no more."\n- A fact')

    view = modals.suggest_edit_view(script, private=modals.metadata(script.id, None))

    assert_valid_view(view)
    assert "*It says now:*\n>The bill is reduced by 25 per cent &amp; no more." in shown(view)
    assert "A fact" not in shown(view)


def test_the_edit_form_shows_a_guidance_page_as_the_card_opens_it(make_article):
    # A page with no script to read out still shows what the CSR would change.
    page = make_article(body=GUIDANCE)

    view = modals.suggest_edit_view(page, private=modals.metadata(page.id, None))

    assert_valid_view(view)
    assert (
        "*It says now:*\n"
        ">If only one adult lives in the property, the bill is reduced by 25 per cent.\n"
        ">\n"
        ">*Eligibility &lt;!channel&gt; &amp; more*"
    ) in shown(view)


def test_the_edit_form_cuts_a_long_page_to_fit(make_article):
    page = make_article(body="\n".join(f"- Point {n:04d} & more words." for n in range(600)))

    view = modals.suggest_edit_view(page, private=modals.metadata(page.id, None))

    assert_valid_view(view)
    said = next(b["text"]["text"] for b in view["blocks"] if "It says now" in str(b))
    assert said.startswith("*It says now:*\n>• Point 0000 &amp; more words.")
    assert len(said) <= 3_000 and "Point 0599" not in said


def test_a_long_reason_is_cut_to_fit_the_owner_message(article):
    text, message = modals.owner_feedback(
        article, user_id="U1", reason="why? " * 2_000, today=TODAY
    )

    assert_valid_message(message)
    assert "found *Test article number 1* (`test-article-1`) not helpful" in shown(message)


def test_feedback_without_a_reason_says_so(article):
    _, message = modals.owner_feedback(article, user_id="U1", reason=None, today=TODAY)

    assert "_No reason given._" in shown(message)
