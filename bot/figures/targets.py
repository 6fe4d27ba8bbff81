"""How each CSR is doing against app.yaml's targets (core, no Slack): each measure beside
their team's and the target, the change from last month, and, for a measure below target,
one concrete suggestion drawn from what Deskmate holds: a training lesson on that skill, or
the articles behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config.figures import Targets
from bot.figures.monthly import Figures, month_bounds, next_month, percent
from bot.store.models import Article, Feedback, QuizAnswer, SearchLog
from bot.training import curriculum
from knowledge.training import Prompt

LOOKED_UP_SHOWN = 3  # articles named in a suggestion


def minutes(value: float) -> str:
    return f"{value:.1f} min"


@dataclass(frozen=True)
class Measure:
    key: str  # its name under `targets:` in app.yaml
    label: str
    value: Callable[[Figures], float | None]
    higher_is_better: bool
    show: Callable[[float], str]
    lesson: str | None = None  # the call-craft article whose lesson helps with it


MEASURES = (
    Measure(
        "satisfaction",
        "Survey cards rated 5",
        lambda f: f.satisfaction,
        True,
        percent,
        lesson="callcraft-empathy",
    ),
    Measure(
        "handle_minutes",
        "Average handle time",
        lambda f: f.handle_minutes,
        False,
        minutes,
        lesson="callcraft-call-notes",
    ),
    Measure(
        "first_contact_resolution",
        "Resolved on first contact",
        lambda f: f.first_contact_resolution,
        True,
        percent,
        lesson="callcraft-closing",
    ),
    Measure("helpful", "Answers marked helpful", lambda f: f.helpful_ratio, True, percent),
    Measure("quiz", "Quiz accuracy", lambda f: f.quiz_accuracy, True, percent),
)


@dataclass(frozen=True)
class Line:
    """One measure for one CSR."""

    measure: Measure
    yours: float | None
    team: float | None
    target: float | None
    last_month: float | None

    @property
    def below_target(self) -> bool:
        if self.yours is None or self.target is None:
            return False
        if self.measure.higher_is_better:
            return self.yours < self.target
        return self.yours > self.target

    @property
    def change(self) -> float | None:
        if self.yours is None or self.last_month is None:
            return None
        return self.yours - self.last_month


def lines(
    yours: Figures, *, team: Figures, last_month: Figures | None, targets: Targets
) -> list[Line]:
    """Each measure the CSR or their team has a figure for, in MEASURES' order."""
    found = []
    for measure in MEASURES:
        line = Line(
            measure=measure,
            yours=measure.value(yours),
            team=measure.value(team),
            target=getattr(targets, measure.key),
            last_month=measure.value(last_month) if last_month is not None else None,
        )
        if line.yours is not None or line.team is not None:
            found.append(line)
    return found


def suggestions(
    engine: Engine, below: list[Line], *, user_id: str, month: dt.date, tz: dt.tzinfo
) -> dict[str, str]:
    """One suggestion for each measure below target, by its key."""
    found = {}
    for line in below:
        key = line.measure.key
        if line.measure.lesson is not None:
            found[key] = _lesson(engine, line.measure.lesson)
        elif key == "helpful":
            found[key] = _unhelpful_articles(engine, user_id=user_id, month=month, tz=tz)
        elif key == "quiz":
            found[key] = _missed_quiz(engine, user_id=user_id, month=month)
    return {key: text for key, text in found.items() if text}


def _lesson(engine: Engine, article_id: str) -> str | None:
    """The training lesson on a skill: its tip, or the article behind its quiz."""
    prompts = [p for p in curriculum() if p.article == article_id]
    if not prompts:
        return None
    tip = next((p for p in prompts if not p.is_quiz), None)
    if tip is not None:
        return f"Look again at training day {tip.day}: {tip.text}"
    title = _titles(engine, [article_id]).get(article_id, article_id)
    return f"Reread “{title}”, the lesson behind training day {prompts[0].day}'s quiz."


def _titles(engine: Engine, ids: list[str]) -> dict[str, str]:
    with Session(engine) as session:
        rows = session.exec(select(Article.id, Article.title).where(col(Article.id).in_(ids)))
        return dict(rows.all())


def _unhelpful_articles(engine: Engine, *, user_id: str, month: dt.date, tz: dt.tzinfo) -> str:
    """The articles this CSR looked up most that were marked Not helpful this month."""
    start, end = month_bounds(month, tz=tz)
    with Session(engine) as session:
        searches = session.exec(
            select(SearchLog.result_ids).where(
                SearchLog.user_id == user_id,
                col(SearchLog.answered).is_(True),
                SearchLog.created_at >= start,
                SearchLog.created_at < end,
            )
        ).all()
        unhelpful = set(
            session.exec(
                select(Feedback.article_id).where(
                    col(Feedback.helpful).is_(False),
                    Feedback.created_at >= start,
                    Feedback.created_at < end,
                )
            ).all()
        )
    looked_up = Counter(ids[0] for ids in searches if ids and ids[0] in unhelpful)
    ids = [article for article, _ in looked_up.most_common(LOOKED_UP_SHOWN)]
    if not ids:
        return (
            "Say why when an answer does not help (Not helpful, then a reason): its owner "
            "sees it and can mend the article."
        )
    titles = _titles(engine, ids)
    named = "; ".join(titles.get(article, article) for article in ids)
    return (
        f"The articles you looked up most that were marked Not helpful: {named}. Their "
        "owners have the reasons; a suggested edit from you helps them mend it."
    )


def _missed_quiz(engine: Engine, *, user_id: str, month: dt.date) -> str | None:
    """The article behind the latest quiz this CSR got wrong this month."""
    following = next_month(month)
    with Session(engine) as session:
        missed = session.exec(
            select(QuizAnswer.day)
            .where(
                QuizAnswer.user_id == user_id,
                col(QuizAnswer.correct).is_(False),
                QuizAnswer.prompt_date >= month,
                QuizAnswer.prompt_date < following,
            )
            .order_by(col(QuizAnswer.prompt_date).desc())
        ).first()
    prompt: Prompt | None = next((p for p in curriculum() if p.day == missed), None)
    if prompt is None:
        return None
    title = _titles(engine, [prompt.article]).get(prompt.article, prompt.article)
    return f"Reread “{title}”: it is behind the quiz you missed on training day {prompt.day}."


@dataclass(frozen=True)
class Report:
    """What a CSR's monthly DM says about their measures."""

    team: str  # their team's name, or "the centre" when in no team
    lines: list[Line]
    suggestions: dict[str, str]  # measure key -> one thing to try


def report(
    engine: Engine,
    *,
    user_id: str,
    yours: Figures,
    team: tuple[str, Figures],
    last_month: Figures | None,
    targets: Targets,
    month: dt.date,
    tz: dt.tzinfo,
) -> Report:
    found = lines(yours, team=team[1], last_month=last_month, targets=targets)
    below = [line for line in found if line.below_target]
    tips = suggestions(engine, below, user_id=user_id, month=month, tz=tz)
    return Report(team=team[0], lines=found, suggestions=tips)
