"""Each CSR against the targets: their measure beside their team's and the target, the
change from last month, and one suggestion for each measure below target."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config.figures import Targets
from bot.figures.monthly import Figures
from bot.figures.targets import lines, report, suggestions
from bot.store import kb, models
from bot.training import curriculum

LONDON = ZoneInfo("Europe/London")
MARCH = dt.date(2026, 3, 1)
IN_MARCH = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
TARGETS = Targets(satisfaction=0.9, handle_minutes=6, first_contact_resolution=0.8)


def _add(engine, *rows) -> None:
    with Session(engine) as session:
        session.add_all(rows)
        session.commit()


def test_each_measure_beside_the_team_and_the_target_with_the_change():
    yours = Figures(calls=10, handle_seconds=10 * 420, cards=10, fives=8, helpful=9, feedback=10)
    team = Figures(calls=100, handle_seconds=100 * 330, cards=40, fives=37)
    last = Figures(calls=10, handle_seconds=10 * 390, cards=10, fives=9)

    found = {
        line.measure.key: line for line in lines(yours, team=team, last_month=last, targets=TARGETS)
    }

    assert list(found) == ["satisfaction", "handle_minutes", "helpful"]  # the rest: no figure
    assert (found["satisfaction"].yours, found["satisfaction"].team) == (0.8, 37 / 40)
    assert found["satisfaction"].below_target  # 80% against 90%
    assert round(found["satisfaction"].change, 6) == -0.1
    assert found["handle_minutes"].yours == 7.0 and found["handle_minutes"].below_target
    assert found["handle_minutes"].change == 0.5  # half a minute longer than last month
    assert not found["helpful"].below_target  # 90% against 80%
    assert found["helpful"].last_month is None and found["helpful"].change is None


def test_no_target_means_never_below_it():
    [line] = lines(
        Figures(quiz_right=1, quiz_answered=4),
        team=Figures(),
        last_month=None,
        targets=Targets(satisfaction=None, handle_minutes=None, helpful=None, quiz=None),
    )
    assert line.measure.key == "quiz" and not line.below_target


def test_a_skill_below_target_suggests_its_training_lesson(engine):
    found = report(
        engine,
        user_id="U0ANNE0001",
        yours=Figures(
            calls=10,
            handle_seconds=10 * 420,
            cards=10,
            fives=5,
            resolved_first=5,
            resolution_calls=10,
        ),
        team=("Revenues", Figures()),
        last_month=None,
        targets=TARGETS,
        month=MARCH,
        tz=LONDON,
    )

    notes = next(p for p in curriculum() if p.article == "callcraft-call-notes")
    assert not notes.is_quiz  # a tip
    assert found.team == "Revenues"
    assert set(found.suggestions) == {"satisfaction", "handle_minutes", "first_contact_resolution"}
    assert found.suggestions["handle_minutes"] == (
        f"Look again at training day {notes.day}: {notes.text}"
    )
    # Empathy's lesson is a quiz: the article behind it (not in this database: its id).
    empathy = next(p for p in curriculum() if p.article == "callcraft-empathy")
    assert found.suggestions["satisfaction"] == (
        f"Reread “callcraft-empathy”, the lesson behind training day {empathy.day}'s quiz."
    )


def test_helpful_below_target_names_the_articles_looked_up_most_that_let_people_down(engine):
    kb.import_articles(
        engine, articles=_bundled("benefits-single-person-discount", "waste-missed-bin")
    )
    search = dict(
        user_id="U0ANNE0001", query="q", answered=True, latency_ms=1.0, created_at=IN_MARCH
    )
    _add(
        engine,
        *(
            models.SearchLog(result_ids=["benefits-single-person-discount"], **search)
            for _ in range(3)
        ),
        models.SearchLog(result_ids=["waste-missed-bin"], **search),
        models.Feedback(
            article_id="benefits-single-person-discount",
            user_id="U0BEN00001",
            helpful=False,
            created_at=IN_MARCH,
        ),
    )
    [line] = [
        line
        for line in lines(
            Figures(helpful=1, feedback=4), team=Figures(), last_month=None, targets=Targets()
        )
        if line.measure.key == "helpful"
    ]

    found = suggestions(engine, [line], user_id="U0ANNE0001", month=MARCH, tz=LONDON)

    assert found["helpful"].startswith(
        "The articles you looked up most that were marked Not helpful: Council Tax single "
        "person discount."
    )


def test_a_missed_quiz_points_at_its_article(engine):
    quiz = next(p for p in curriculum() if p.is_quiz)
    kb.import_articles(engine, articles=_bundled(quiz.article))
    _add(
        engine,
        models.QuizAnswer(
            prompt_date=dt.date(2026, 3, 10),
            day=quiz.day,
            user_id="U0ANNE0001",
            choice=0,
            correct=False,
        ),
    )
    [line] = [
        line
        for line in lines(
            Figures(quiz_answered=2), team=Figures(), last_month=None, targets=Targets()
        )
        if line.measure.key == "quiz"
    ]

    found = suggestions(engine, [line], user_id="U0ANNE0001", month=MARCH, tz=LONDON)

    assert found["quiz"].startswith("Reread “")
    assert found["quiz"].endswith(f"it is behind the quiz you missed on training day {quiz.day}.")


def _bundled(*ids: str):
    from knowledge import BUNDLED_ARTICLES
    from knowledge.loader import load_articles

    return [article for article in load_articles(BUNDLED_ARTICLES) if article.id in ids]
