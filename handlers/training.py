"""The daily training nudge in Slack: how a tip or quiz looks, and the quiz's answer buttons
(each person's first answer is recorded; they see privately whether it was right, with the
article's card)."""

from __future__ import annotations

import datetime as dt
import json
import re
from logging import Logger
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import SQLAlchemyError

from bot.quiz import prompt_by_day, record_answer
from bot.slack.blocks.answer import Blocks, article_blocks, context, escape, fit, section
from handlers import replies
from knowledge.training import Prompt

if TYPE_CHECKING:  # bot.app imports handlers to register them
    from bot.entry.app import Deskmate

QUIZ_ANSWER = "training_quiz"  # the buttons are training_quiz_0, training_quiz_1, ...
_PRESSED = re.compile(rf"^{QUIZ_ANSWER}_\d$")


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


def _read(value: str) -> tuple[dt.date, int, int] | None:
    try:
        data = json.loads(value)
        return dt.date.fromisoformat(data["d"]), int(data["n"]), int(data["o"])
    except (ValueError, KeyError, TypeError):
        return None


def answer_quiz(ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger):
    ack()
    deskmate: Deskmate = context["deskmate"]
    pressed = _read(body["actions"][0].get("value", ""))
    prompt = prompt_by_day(pressed[1]) if pressed else None
    if pressed is None or prompt is None or not prompt.is_quiz:
        respond(text="Sorry, I can't read that answer.", replace_original=False)
        return
    date, _, choice = pressed
    try:
        answered = record_answer(
            deskmate.engine,
            prompt_date=date,
            prompt=prompt,
            user_id=body["user"]["id"],
            choice=choice,
        )
    except ValueError:
        respond(text="Sorry, that isn't one of the answers.", replace_original=False)
        return
    except SQLAlchemyError as error:
        replies.database_failed(logger, "record a quiz answer", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    right = escape(prompt.options[prompt.answer])
    if not answered.first:
        verdict = "You've already answered this one, and your first answer stands: "
    else:
        verdict = ""
    verdict += ":white_check_mark: Right" if answered.correct else ":x: Not quite"
    verdict += f". The answer is *{right}*."
    if prompt.explain:
        verdict += f"\n{escape(prompt.explain)}"
    blocks = [section(verdict)]
    article = next((a for a in deskmate.search_index.articles if a.id == prompt.article), None)
    if article is not None:
        blocks += article_blocks(article, today=deskmate.today())
    respond(
        text=fit(verdict, 3_000),
        blocks=blocks,
        response_type="ephemeral",
        replace_original=False,
    )


def register(app: App) -> None:
    app.action(_PRESSED)(answer_quiz)
