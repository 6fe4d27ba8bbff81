"""Reading `/kudos` as Slack sends it (mentions, escapes, user groups, value tags) and the
rules a draft's text must meet before Slack or the database is asked anything."""

from __future__ import annotations

import pytest

from bot import kudos_text
from bot.config.settings import CSE_VALUES
from bot.kudos_text import Draft, KudosRefused

VALUES = list(CSE_VALUES)


# -- reading the command ---------------------------------------------------------------------


def test_recipients_message_and_value_tag_are_read_from_slacks_escaped_text():
    draft = kudos_text.parse_command(
        "<@U0ALEX0001|alex> <@U0SAM00001|sam> for staying calm with a distressed caller #culture",
        values=VALUES,
    )

    assert draft == Draft(
        recipients=("U0ALEX0001", "U0SAM00001"),
        message="for staying calm with a distressed caller",
        value="culture",
    )


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        ("#customer-insight", "customer insight"),
        ("#CustomerInsight", "customer insight"),
        ("#timeliness", "timeliness and quality of service"),
        ("#information", "information and access"),
    ],
)
def test_a_value_is_tagged_by_its_name_or_its_first_word(tag, value):
    draft = kudos_text.parse_command(f"<@U0ALEX0001> for a great call today {tag}", values=VALUES)

    assert draft.value == value
    assert draft.message == "for a great call today"


def test_mentions_separated_by_commas_and_and_are_all_recipients():
    draft = kudos_text.parse_command(
        "<@U0A1>, <@U0B2> and <@U0C3> thanks for the cover", values=VALUES
    )

    assert draft.recipients == ("U0A1", "U0B2", "U0C3")
    assert draft.message == "thanks for the cover"


def test_slack_escapes_are_decoded_and_other_tokens_kept_as_text():
    draft = kudos_text.parse_command(
        "<@U0ALEX0001|alex> you &amp; <@U0SAM00001|sam> beat &lt;5 min calls "
        "<!here> <!subteam^S0TEAM|@csrs>",
        values=VALUES,
    )

    assert draft.recipients == ("U0ALEX0001",)
    assert draft.message == "you & <@U0SAM00001> beat <5 min calls <!here> @csrs"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<!subteam^S0TEAM01|@revenues>", "@revenues"),
        ("<!subteam^S0TEAM01|revenues team>", "@revenues team"),
        ("<!subteam^S0TEAM01>", "@group"),
        ("<!subteam^S0TEAM01|@R&amp;D>", "@R&D"),
    ],
)
def test_a_user_group_is_thanked_by_its_name_as_plain_text(typed, shown):
    draft = kudos_text.parse_command(f"<@U0ALEX0001> for covering with {typed}", values=VALUES)

    assert draft.recipients == ("U0ALEX0001",)
    assert draft.message == f"for covering with {shown}"
    assert "subteam" not in draft.message and "<" not in draft.message


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        ("for staying calm on a call", "recipients", "Start with who the kudos is for"),
        ("<@U0ALEX0001> great call #empathy", "value", "I don't know the value `#empathy`"),
        ("<@U0ALEX0001> great call today #culture #delivery", "value", "one value per kudos"),
    ],
)
def test_a_command_that_cannot_be_read_is_refused(text, field, says):
    with pytest.raises(KudosRefused) as refused:
        kudos_text.parse_command(text, values=VALUES)

    assert refused.value.field == field
    assert says in str(refused.value)


def test_an_unknown_tag_is_answered_with_the_values_to_use():
    with pytest.raises(KudosRefused) as refused:
        kudos_text.parse_command(
            "<@U0ALEX0001> great call today #kindness", values=["culture", "a b"]
        )

    assert "Use one of `#culture`, `#a-b`, or leave it out." in str(refused.value)


def test_an_unknown_tag_however_long_is_shown_cut_short():
    # The fuzz test found a 5,000-character tag echoed whole in the refusal.
    with pytest.raises(KudosRefused) as refused:
        kudos_text.parse_command("<@U0ALEX0001> for a great call #" + "a" * 5_000, values=VALUES)

    assert f"`#{'a' * 38}…`" in str(refused.value)
    assert len(str(refused.value)) < 500


def test_a_hashtag_inside_the_message_is_just_text():
    draft = kudos_text.parse_command("<@U0ALEX0001> sorted the #billing queue today", values=VALUES)

    assert (draft.message, draft.value) == ("sorted the #billing queue today", None)


# -- the rules before storing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "field", "says"),
    [
        (Draft((), "for a great call today"), "recipients", "Name at least one person"),
        (Draft(("U0GIVER001",), "for a great call today"), "recipients", "to yourself"),
        (Draft(("U0ALEX0001", "U0GIVER001"), "for a great call"), "recipients", "to yourself"),
        (Draft(tuple(f"U0P{n:07d}" for n in range(11)), "for a great call"), "recipients", "10"),
        (Draft(("U0ALEX0001",), "thanks!"), "message", "at least 3 words"),
        (Draft(("U0ALEX0001",), "thanks <@U0SAM00001> <@U0BOB00001>"), "message", "3 words"),
        (Draft(("U0ALEX0001",), "great " * 200), "message", "1,000 characters"),
        (Draft(("U0ALEX0001",), "for a great call", "bravery"), "value", "one of the values"),
    ],
)
def test_each_rule_refuses_with_a_reason(draft, field, says):
    with pytest.raises(KudosRefused) as refused:
        kudos_text.check_draft(draft, giver_id="U0GIVER001", values=VALUES)

    assert refused.value.field == field
    assert says in str(refused.value)


def test_a_good_draft_passes_tidied():
    draft = Draft(("U0ALEX0001", "U0ALEX0001"), "  for a great call  ", "culture")

    assert kudos_text.check_draft(draft, giver_id="U0GIVER001", values=VALUES) == Draft(
        ("U0ALEX0001",), "for a great call", "culture"
    )
