"""Block Kit for training: the daily tip or quiz (also a new starter's lesson), its answer
buttons, and a new starter's progress in `/training` and on App Home."""

from __future__ import annotations

import datetime as dt
import json

from bot.slack.blocks.base import Blocks, context, escape, fit, header, section
from bot.training import LESSONS, Progress
from knowledge.training import Prompt

QUIZ_ANSWER = "training_quiz"  # the buttons are training_quiz_0, training_quiz_1, ...


def nudge(
    prompt: Prompt, *, day: int, date: dt.date, label: str | None = None
) -> tuple[str, Blocks]:
    """(fallback text, blocks) for the training channel, or with `label` (such as "Lesson
    3 of 50") a new starter's lesson. `date` goes in the quiz buttons: answers are stored
    by it."""
    label = label or f"Training day {day}"
    if not prompt.is_quiz:
        text = f":bulb: Tip of the day: {escape(prompt.text)}"
        return fit(text, 3_000), [section(text), context(label)]
    question = f":question: Quiz of the day: {escape(prompt.text)}"
    buttons = [
        {
            "type": "button",
            "action_id": f"{QUIZ_ANSWER}_{number}",
            "text": {"type": "plain_text", "text": option[:75]},
            "value": json.dumps({"d": date.isoformat(), "n": prompt.day, "o": number}),
        }
        for number, option in enumerate(prompt.options)
    ]
    blocks = [
        section(question),
        {"type": "actions", "block_id": "training_quiz", "elements": buttons},
        context(f"{label}. Only you will see whether you were right."),
    ]
    return fit(question, 3_000), blocks


def read_answer(value: str) -> tuple[dt.date, int, int] | None:
    try:
        data = json.loads(value)
        return dt.date.fromisoformat(data["d"]), int(data["n"]), int(data["o"])
    except (ValueError, KeyError, TypeError):
        return None


USAGE = (
    "*The ten-week new-starter programme*: a lesson by direct message each working day.\n"
    "`/training progress` shows your lessons and quiz score.\n"
    "Supervisors: `/training enrol @name [YYYY-MM-DD]` enrols a new starter (from the next "
    "working day unless you give a start date); `/training progress @name` shows theirs."
)


def describe(found: Progress, *, yours: bool) -> str:
    """One person's progress in a line or two."""
    who = "You" if yours else f"<@{found.user_id}>"
    started = f"{found.start_date:%-d %B %Y}"
    if found.completed is not None:
        status = f"{who} completed the new-starter programme (started {started})"
    elif found.sent == 0:
        status = f"{who} start{'' if yours else 's'} the new-starter programme on {started}"
    else:
        status = f"{who} {'are' if yours else 'is'} on lesson {found.latest} of {LESSONS}"
        status += f" (started {started})"
    line = f"{status}. Lessons sent: {found.sent} of {LESSONS}."
    if found.answered:
        line += f" Quiz: {found.right} right of {found.answered} answered."
    else:
        line += " No quiz answers yet."
    return line


def home_section(found: Progress) -> Blocks:
    """ "Your training" on App Home, for someone who has been enrolled."""
    return [header("Your training"), section(describe(found, yours=True))]
