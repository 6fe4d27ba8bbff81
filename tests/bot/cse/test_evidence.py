"""The evidence for each of the five criteria: every figure from the period only, naming its
source and period; gaps and when they were answered; recognition by value and across teams;
the monthly trends."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from bot.config.settings import Settings
from bot.cse.evidence import CRITERIA, gather
from bot.store import models

IN_SEPT = dt.datetime(2026, 9, 10, 12, tzinfo=dt.UTC)
SETTINGS = Settings(
    teams=[
        {"name": "Revenues", "members": {"U0ANNE0001": 37.5}},
        {"name": "Housing", "members": {"U0BEN00001": 37.5}},
    ]
)


def _add(engine, *rows) -> None:
    with Session(engine) as session:
        session.add_all(rows)
        session.commit()


def _search(query: str, answered: bool, at: dt.datetime, result: str | None = None):
    return models.SearchLog(
        user_id="U0ANNE0001",
        query=query,
        answered=answered,
        result_ids=[result] if result else [],
        latency_ms=1.0,
        created_at=at,
    )


def _facts(evidence, criterion: str) -> dict[str, tuple[str, str]]:
    [found] = [c for c in evidence.criteria if c.name == criterion]
    return {fact.label: (fact.value, fact.source) for fact in found.facts}


def test_five_criteria_each_figure_with_its_source_and_period(engine):
    evidence = gather(engine, SETTINGS, start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 30))

    assert [c.name for c in evidence.criteria] == list(CRITERIA)
    assert evidence.period == "1 September 2026 to 30 November 2026"
    for criterion in evidence.criteria:
        assert criterion.facts
        for fact in criterion.facts:
            assert fact.source and ("2026" in fact.source), fact


def test_gaps_are_counted_and_dated_when_answered_later(engine):
    _add(
        engine,
        _search("bin not collected", False, IN_SEPT),
        _search("bin not collected", False, IN_SEPT + dt.timedelta(days=1)),
        _search("bin not collected", True, IN_SEPT + dt.timedelta(days=6), "waste-missed-bin"),
        _search("pigeon loft", False, IN_SEPT),
        _search("council tax discount", True, IN_SEPT, "benefits-single-person-discount"),
        _search("outside the period", False, IN_SEPT - dt.timedelta(days=30)),
    )

    evidence = gather(engine, SETTINGS, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))

    insight = _facts(evidence, "Customer Insight")
    assert insight["Questions looked up by CSRs during calls"][0] == "5"
    assert insight["Questions no article answered (gaps)"][0] == "3"
    assert insight["Of those questions, answered later in the period"][0] == "1 of 2"
    [criterion] = [c for c in evidence.criteria if c.name == "Customer Insight"]
    gaps = next(t for t in criterion.tables if t.title.startswith("Gaps found"))
    assert gaps.rows == [
        ("bin not collected", "2", "10 Sep 2026", "16 Sep 2026"),
        ("pigeon loft", "1", "10 Sep 2026", "not yet"),
    ]
    timeliness = _facts(evidence, "Timeliness and Quality of Service")
    assert timeliness["Days from a gap to its answer (median)"][0] == "6"


def test_recognition_by_value_and_across_teams(engine):
    for number, (giver, recipient, value) in enumerate(
        [
            ("U0ANNE0001", "U0BEN00001", "empathy"),  # Revenues to Housing: across
            ("U0ANNE0001", "U0CARL0001", "empathy"),  # to someone in no team
            ("U0BEN00001", "U0BEN00002", None),
            ("customer", "U0BEN00001", None),  # praise on a survey card
        ]
    ):
        kudos = models.Kudos(
            request_key=f"k{number}",
            giver_id=giver,
            value=value,
            message="for a great call",
            giver_day=IN_SEPT.date(),
            day_slot=number,
            channel="C0KUDOS001",
            created_at=IN_SEPT,
        )
        with Session(engine) as session:
            session.add(kudos)
            session.flush()
            session.add(models.KudosRecipient(kudos_id=kudos.id, user_id=recipient))
            session.commit()

    evidence = gather(engine, SETTINGS, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))

    culture = _facts(evidence, "Culture of the Organisation")
    assert culture["Kudos given"][0] == "4"
    assert culture["Of those, from customers (survey cards rated 5)"][0] == "1"
    assert culture["Kudos across teams"][0] == "1"
    [criterion] = [c for c in evidence.criteria if c.name == "Culture of the Organisation"]
    by_value = next(t for t in criterion.tables if t.title == "Recognition by value")
    assert by_value.rows == [("empathy", "2"), ("(no value)", "2")]


def test_phone_and_survey_figures_and_their_monthly_trend(engine):
    _add(
        engine,
        models.AgentDay(
            agent="1001", day=dt.date(2026, 9, 2), calls=10, handle_seconds=300, resolved_first=8
        ),
        models.AgentDay(agent="1001", day=dt.date(2026, 10, 2), calls=30, handle_seconds=420),
        models.SurveyCard(call="C1", agent="1001", day=dt.date(2026, 9, 2), rating=5),
        models.SurveyCard(call="C2", agent="1001", day=dt.date(2026, 10, 2), rating=3),
    )

    evidence = gather(engine, SETTINGS, start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31))

    delivery = _facts(evidence, "Delivery")
    assert delivery["Calls handled"][0] == "40"
    assert delivery["Resolved on first contact"][0] == "80%"  # of the calls it was given for
    timeliness = _facts(evidence, "Timeliness and Quality of Service")
    assert timeliness["Average handle time"][0] == f"{(3000 + 12600) / 40 / 60:.1f} minutes"
    [criterion] = [c for c in evidence.criteria if c.name.startswith("Timeliness")]
    satisfaction = criterion.trends[0]
    assert (satisfaction.months, satisfaction.values) == (["Sep 2026", "Oct 2026"], [100.0, 0.0])
