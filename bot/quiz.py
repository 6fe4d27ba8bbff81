"""The training quiz's answers (core, no Slack): each person's first answer to a day's
question counts, once, however many times the button is pressed or Slack retries it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.store.models import QuizAnswer
from knowledge.training import Prompt, load_curriculum


@lru_cache(maxsize=1)
def curriculum() -> tuple[Prompt, ...]:
    """The bundled curriculum, read once per process."""
    return tuple(load_curriculum())


def prompt_by_day(day: int) -> Prompt | None:
    return next((prompt for prompt in curriculum() if prompt.day == day), None)


@dataclass(frozen=True)
class Answered:
    choice: int
    correct: bool
    first: bool  # False: this person had already answered; the earlier answer stands


def record_answer(
    engine: Engine, *, prompt_date: dt.date, prompt: Prompt, user_id: str, choice: int
) -> Answered:
    """Store `user_id`'s answer unless they have one for this quiz already.
    Raises ValueError for a choice the question does not have."""
    if not prompt.is_quiz or not 0 <= choice < len(prompt.options):
        raise ValueError(f"day {prompt.day} has no option {choice}")
    row = QuizAnswer(
        prompt_date=prompt_date,
        day=prompt.day,
        user_id=user_id,
        choice=choice,
        correct=choice == prompt.answer,
    )
    try:
        with Session(engine) as session:
            session.add(row)
            session.commit()
        return Answered(choice, choice == prompt.answer, first=True)
    except IntegrityError:
        pass
    with Session(engine) as session:
        earlier = session.exec(
            select(QuizAnswer).where(
                QuizAnswer.prompt_date == prompt_date,
                QuizAnswer.day == prompt.day,
                QuizAnswer.user_id == user_id,
            )
        ).one()
        return Answered(earlier.choice, earlier.correct, first=False)
