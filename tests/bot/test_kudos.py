"""The core of /kudos: reading the command, the rules, storing before posting, claiming a
post once, and the daily allowance in the giver's time zone; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, func, select

from bot import kudos
from bot.config.settings import CSE_VALUES
from bot.kudos import Draft, KudosRefused
from bot.store.models import Kudos, KudosRecipient

VALUES = list(CSE_VALUES)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOON = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
GOOD = Draft(recipients=("U0ALEX0001",), message="for staying calm with a distressed caller")


def make(engine, draft=GOOD, *, key="T1:U0GIVER001:1", giver="U0GIVER001", now=NOON, **extra):
    options = {"channel": "C0KUDOS001", "giver_tz": LONDON, "allowance": 5, **extra}
    return kudos.create_kudos(engine, draft, giver_id=giver, request_key=key, now=now, **options)


def count(engine, table=Kudos) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


# -- reading the command ---------------------------------------------------------------------


def test_recipients_message_and_value_tag_are_read_from_slacks_escaped_text():
    draft = kudos.parse_command(
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
    draft = kudos.parse_command(f"<@U0ALEX0001> for a great call today {tag}", values=VALUES)

    assert draft.value == value
    assert draft.message == "for a great call today"


def test_mentions_separated_by_commas_and_and_are_all_recipients():
    draft = kudos.parse_command("<@U0A1>, <@U0B2> and <@U0C3> thanks for the cover", values=VALUES)

    assert draft.recipients == ("U0A1", "U0B2", "U0C3")
    assert draft.message == "thanks for the cover"


def test_slack_escapes_are_decoded_and_other_tokens_kept_as_text():
    draft = kudos.parse_command(
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
    draft = kudos.parse_command(f"<@U0ALEX0001> for covering with {typed}", values=VALUES)

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
        kudos.parse_command(text, values=VALUES)

    assert refused.value.field == field
    assert says in str(refused.value)


def test_an_unknown_tag_is_answered_with_the_values_to_use():
    with pytest.raises(KudosRefused) as refused:
        kudos.parse_command("<@U0ALEX0001> great call today #kindness", values=["culture", "a b"])

    assert "Use one of `#culture`, `#a-b`, or leave it out." in str(refused.value)


def test_an_unknown_tag_however_long_is_shown_cut_short():
    # The fuzz test found a 5,000-character tag echoed whole in the refusal.
    with pytest.raises(KudosRefused) as refused:
        kudos.parse_command("<@U0ALEX0001> for a great call #" + "a" * 5_000, values=VALUES)

    assert f"`#{'a' * 38}…`" in str(refused.value)
    assert len(str(refused.value)) < 500


def test_a_hashtag_inside_the_message_is_just_text():
    draft = kudos.parse_command("<@U0ALEX0001> sorted the #billing queue today", values=VALUES)

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
        kudos.check_draft(draft, giver_id="U0GIVER001", values=VALUES)

    assert refused.value.field == field
    assert says in str(refused.value)


def test_a_good_draft_passes_tidied():
    draft = Draft(("U0ALEX0001", "U0ALEX0001"), "  for a great call  ", "culture")

    assert kudos.check_draft(draft, giver_id="U0GIVER001", values=VALUES) == Draft(
        ("U0ALEX0001",), "for a great call", "culture"
    )


def test_a_nul_in_the_message_is_dropped_so_the_kudos_can_be_stored(engine):
    # PostgreSQL refuses a NUL in text; the fuzz test found such kudos refused as unsaved.
    draft = Draft(("U0ALEX0001",), "for a great\x00 call\x00")

    tidied = kudos.check_draft(draft, giver_id="U0GIVER001", values=VALUES)
    given, new = make(engine, tidied)

    assert tidied.message == "for a great call"
    assert new and given.message == "for a great call"
    assert count(engine) == 1


@pytest.mark.parametrize(
    ("user", "says"),
    [
        (None, "couldn't find <@U0X>"),
        ({"id": "U0X", "is_bot": True}, "<@U0X> is a bot"),
        ({"id": "U0X", "deleted": True}, "has been deactivated"),
    ],
)
def test_bots_deactivated_and_unknown_people_are_refused(user, says):
    with pytest.raises(KudosRefused, match=says):
        kudos.check_people({"U0X": user})


def test_slackbot_is_a_bot():
    with pytest.raises(KudosRefused, match="is a bot"):
        kudos.check_people({"USLACKBOT": {"id": "USLACKBOT", "is_bot": False}})


# -- storing ---------------------------------------------------------------------------------


def test_a_kudos_is_stored_claimed_for_its_first_post(engine):
    given, new = make(engine, Draft(("U0ALEX0001", "U0SAM00001"), "for a great call", "culture"))

    assert new
    assert given.recipients == ("U0ALEX0001", "U0SAM00001")
    assert (given.value, given.channel, given.posted_ts) == ("culture", "C0KUDOS001", None)
    assert given.created_at == NOON
    assert kudos.pending(engine, now=NOON) == []  # its creator is posting it


def test_the_same_request_again_stores_nothing(engine):
    first, _ = make(engine)
    again, new = make(engine, Draft(("U0SAM00001",), "a different message here"))

    assert not new
    assert again == first
    assert (count(engine), count(engine, KudosRecipient)) == (1, 1)


def test_the_allowance_counts_the_givers_day_in_their_time_zone(engine):
    # 23:00 in New York on the 24th is 04:00 UTC on the 25th.
    late = dt.datetime(2026, 11, 25, 4, 0, tzinfo=dt.UTC)
    for number in range(3):
        make(engine, key=f"k{number}", now=late, giver_tz=NEW_YORK, allowance=3)

    with pytest.raises(kudos.AllowanceUsed, match="your 3 kudos for today"):
        make(engine, key="k3", now=late + dt.timedelta(minutes=59), giver_tz=NEW_YORK, allowance=3)
    _, new = make(
        engine, key="k4", now=late + dt.timedelta(hours=1), giver_tz=NEW_YORK, allowance=3
    )

    assert new  # midnight in New York: a new day
    assert count(engine) == 4


def test_the_allowance_is_the_givers_own(engine):
    for number in range(2):
        make(engine, key=f"a{number}", allowance=2)

    _, new = make(engine, key="b0", giver="U0OTHER001", allowance=2)

    assert new


def test_two_kudos_at_once_cannot_both_take_the_last_one(engine):
    make(engine, key="first", allowance=2)
    results = []

    def give(key):
        try:
            results.append(make(engine, key=key, allowance=2)[1])
        except kudos.AllowanceUsed:
            results.append("refused")

    threads = [threading.Thread(target=give, args=(f"racer{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results, key=str) == [True, "refused", "refused", "refused"]
    assert count(engine) == 2


# -- posting once ----------------------------------------------------------------------------


def test_a_failed_post_is_released_for_the_retry_pass(engine):
    given, _ = make(engine)

    kudos.release(engine, given.id, "channel_not_found")

    assert kudos.pending(engine, now=NOON) == [given.id]
    assert kudos.claim(engine, given.id, now=NOON)
    assert kudos.pending(engine, now=NOON) == []


def test_only_one_of_several_workers_claims_a_post(engine):
    given, _ = make(engine)
    kudos.release(engine, given.id, "timeout")

    claims = [kudos.claim(engine, given.id, now=NOON) for _ in range(3)]

    assert claims == [True, False, False]


def test_a_claim_left_by_a_worker_that_died_expires(engine):
    given, _ = make(engine)
    later = NOON + dt.timedelta(seconds=kudos.CLAIM_SECONDS + 1)

    assert not kudos.claim(engine, given.id, now=NOON + dt.timedelta(seconds=5))
    assert kudos.pending(engine, now=later) == [given.id]
    assert kudos.claim(engine, given.id, now=later)


def test_a_posted_kudos_is_never_claimed_again(engine):
    given, _ = make(engine)

    kudos.mark_posted(engine, given.id, "1700000000.000100")
    kudos.release(engine, given.id, "late failure report")

    later = NOON + dt.timedelta(days=1)
    assert kudos.pending(engine, now=later) == []
    assert not kudos.claim(engine, given.id, now=later)
    assert kudos.get_kudos(engine, given.id).posted_ts == "1700000000.000100"
