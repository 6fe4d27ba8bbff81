"""The core of /kudos: the people thanked, storing before posting, claiming a post once, and
the daily allowance in the giver's time zone; on SQLite and PostgreSQL. Reading the command
and the rules on its text: test_kudos_text.py."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, func, select

from bot import kudos, kudos_text
from bot.config.settings import CSE_VALUES
from bot.kudos_text import Draft, KudosRefused
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


def test_a_nul_in_the_message_is_dropped_so_the_kudos_can_be_stored(engine):
    # PostgreSQL refuses a NUL in text; the fuzz test found such kudos refused as unsaved.
    draft = Draft(("U0ALEX0001",), "for a great\x00 call\x00")

    tidied = kudos_text.check_draft(draft, giver_id="U0GIVER001", values=VALUES)
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
