"""The monthly figures (SQLite and PostgreSQL): each CSR's and the team's month, counted in
the configured time zone's calendar month, and the chart as PNG bytes."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.figures.charts import chart_png
from bot.figures.monthly import Figures, month_bounds, monthly_figures, previous_month
from bot.store import models

LONDON = ZoneInfo("Europe/London")
MARCH = dt.date(2026, 3, 1)  # the clocks go forward on 29 March: the month ends at 23:00 UTC
IN_MARCH = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
_keys = itertools.count()


def _add(engine, *rows) -> None:
    with Session(engine) as session:
        session.add_all(rows)
        session.commit()


def search(user: str, *, answered: bool = True, at: dt.datetime = IN_MARCH):
    return models.SearchLog(
        user_id=user, query="council tax", answered=answered, latency_ms=1.0, created_at=at
    )


def feedback(user: str, *, helpful: bool, at: dt.datetime = IN_MARCH):
    return models.Feedback(article_id="a", user_id=user, helpful=helpful, created_at=at)


def kudos(engine, giver: str, *recipients: str, at: dt.datetime = IN_MARCH) -> None:
    number = next(_keys)
    row = models.Kudos(
        request_key=f"k{number}",
        giver_id=giver,
        message="thanks for the help",
        giver_day=at.date(),
        day_slot=number,
        channel="C0KUDOS001",
        created_at=at,
    )
    with Session(engine) as session:
        session.add(row)
        session.flush()
        session.add_all(models.KudosRecipient(kudos_id=row.id, user_id=u) for u in recipients)
        session.commit()


def quiz(user: str, *, correct: bool, posted: dt.date = dt.date(2026, 3, 10), day: int = 1):
    return models.QuizAnswer(
        prompt_date=posted, day=day, user_id=user, choice=0 if correct else 1, correct=correct
    )


def test_each_measure_per_person_and_for_the_team(engine):
    _add(
        engine,
        search("U0ANNE0001"),
        search("U0ANNE0001", answered=False),
        search("U0BEN00001", answered=False),
        feedback("U0ANNE0001", helpful=True),
        feedback("U0ANNE0001", helpful=True),
        feedback("U0ANNE0001", helpful=False),
        quiz("U0ANNE0001", correct=True),
        quiz("U0ANNE0001", correct=False, day=2),
        quiz("U0BEN00001", correct=True),
    )
    kudos(engine, "U0ANNE0001", "U0BEN00001", "U0CARA0001")

    month = monthly_figures(engine, month=MARCH, tz=LONDON)

    anne, ben, cara = (month.people[u] for u in ("U0ANNE0001", "U0BEN00001", "U0CARA0001"))
    assert anne == Figures(
        looked_up=2,
        gaps=1,
        helpful=2,
        feedback=3,
        kudos_given=1,
        quiz_right=1,
        quiz_answered=2,
    )
    assert anne.helpful_ratio == 2 / 3 and anne.quiz_accuracy == 0.5
    assert (ben.looked_up, ben.gaps, ben.kudos_received, ben.quiz_accuracy) == (1, 1, 1, 1.0)
    assert ben.helpful_ratio is None  # no feedback given is not 0% helpful
    assert cara == Figures(kudos_received=1)
    assert month.team == Figures(
        looked_up=3,
        gaps=2,
        helpful=2,
        feedback=3,
        kudos_given=1,
        kudos_received=2,
        quiz_right=2,
        quiz_answered=3,
    )
    assert month.label == "March 2026"


def test_the_month_is_local_midnight_to_midnight(engine):
    first_in = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)  # midnight GMT
    last_in = dt.datetime(2026, 3, 31, 22, 59, tzinfo=dt.UTC)  # 23:59 BST
    april = dt.datetime(2026, 3, 31, 23, 0, tzinfo=dt.UTC)  # midnight BST, 1 April
    february = dt.datetime(2026, 2, 28, 23, 59, tzinfo=dt.UTC)
    _add(
        engine,
        search("U0ANNE0001", at=first_in),
        search("U0ANNE0001", at=last_in),
        search("U0ANNE0001", at=april),
        search("U0ANNE0001", at=february),
        quiz("U0ANNE0001", correct=True, posted=dt.date(2026, 3, 31)),
        quiz("U0ANNE0001", correct=True, posted=dt.date(2026, 4, 1)),
    )

    month = monthly_figures(engine, month=dt.date(2026, 3, 17), tz=LONDON)

    assert month.people["U0ANNE0001"].looked_up == 2
    assert month.people["U0ANNE0001"].quiz_answered == 1
    assert month_bounds(MARCH, tz=LONDON) == (first_in, april)


def test_a_quiet_month_has_nobody_and_a_zero_team(engine):
    _add(engine, search("U0ANNE0001", at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC)))

    month = monthly_figures(engine, month=MARCH, tz=LONDON)

    assert month.people == {}
    assert month.team == Figures()


def test_previous_month_crosses_the_year():
    assert previous_month(dt.date(2026, 1, 2)) == dt.date(2025, 12, 1)
    assert previous_month(dt.date(2026, 3, 31)) == dt.date(2026, 2, 1)


def test_the_chart_is_a_png(engine):
    _add(engine, search("U0ANNE0001"), quiz("U0BEN00001", correct=True))

    png = chart_png(monthly_figures(engine, month=MARCH, tz=LONDON))

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart_png(monthly_figures(engine, month=dt.date(2025, 1, 1), tz=LONDON)).startswith(
        b"\x89PNG"
    )


def agent_day(agent: str, day: dt.date, calls: int, handle: float, **extra):
    return models.AgentDay(agent=agent, day=day, calls=calls, handle_seconds=handle, **extra)


def card(call: str, agent: str, rating: int, day: dt.date = dt.date(2026, 3, 10)):
    return models.SurveyCard(call=call, agent=agent, day=day, rating=rating)


def test_phone_and_survey_figures_count_for_matched_agents_by_their_own_date(engine):
    _add(
        engine,
        agent_day("1001", dt.date(2026, 3, 2), 10, 300, resolved_first=8, transfers=1),
        agent_day("1001", dt.date(2026, 3, 3), 30, 420, resolved_first=None, transfers=2),
        agent_day("1001", dt.date(2026, 4, 1), 99, 999),  # April's
        agent_day("sam@x.example", dt.date(2026, 3, 31), 5, 120, resolved_first=5),
        agent_day("9999", dt.date(2026, 3, 2), 50, 60),  # not matched: counts for no one
        card("C1", "1001", 5),
        card("C2", "1001", 4),
        card("C3", "sam@x.example", 5),
        card("C4", "9999", 1),
    )
    with Session(engine) as session:
        session.add(models.AgentMatch(agent="sam@x.example", user_id="U0SAM00001"))
        session.commit()

    month = monthly_figures(engine, month=MARCH, tz=LONDON, agents={"1001": "U0ANNE0001"})

    anne = month.people["U0ANNE0001"]
    assert (anne.calls, anne.transfers, anne.cards, anne.fives) == (40, 3, 2, 1)
    # Each call weighs once: (10 x 300 + 30 x 420) / 40 seconds.
    assert anne.handle_minutes == (10 * 300 + 30 * 420) / 40 / 60
    # Resolution only over the day it was reported.
    assert anne.first_contact_resolution == 8 / 10
    assert anne.satisfaction == 0.5
    sam = month.people["U0SAM00001"]
    assert (sam.calls, sam.first_contact_resolution, sam.satisfaction) == (5, 1.0, 1.0)
    assert month.team.calls == 45 and month.team.cards == 3
    assert "9999" not in month.people


def test_each_team_sums_its_own_members(engine):
    from bot.config.figures import Team

    _add(
        engine,
        search("U0ANNE0001"),
        search("U0BEN00001"),
        search("U0BEN00001"),
        search("U0CARL0001"),
        agent_day("1", dt.date(2026, 3, 2), 10, 300),
    )
    teams = [
        Team(name="Revenues", members={"U0ANNE0001": 37.5, "U0BEN00001": 22.5}),
        Team(name="Housing", members={"U0DORA0001": 37.5}),
    ]

    month = monthly_figures(engine, month=MARCH, tz=LONDON, agents={"1": "U0ANNE0001"}, teams=teams)

    assert month.teams["Revenues"].looked_up == 3
    assert month.teams["Revenues"].calls == 10
    assert month.teams["Housing"] == Figures()  # nobody active
    assert month.team.looked_up == 4  # the whole centre, teams or not
