"""`/training` and the daily quiz's answer buttons. `/training` enrols a new starter on the
ten-week programme (supervisors only) and shows progress; the quiz buttons record each
person's first answer and tell them privately whether it was right, with the article's card.
Every reply is private. The nudges and lessons themselves are sent by the scheduler
(scheduler.training)."""

from __future__ import annotations

import re
from logging import Logger

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot import training
from bot.deskmate import Deskmate
from bot.kudos_text import MENTION, decode_command
from bot.slack.blocks.answer import article_blocks
from bot.slack.blocks.base import escape, fit, section
from bot.slack.blocks.training import QUIZ_ANSWER, USAGE, describe, read_answer
from bot.slack.users import look_up
from bot.store.db import database_failed
from bot.training import LESSONS, EnrolRefused, prompt_by_day, record_answer
from bot.workdays import WorkingCalendar
from handlers import auth, replies

_PRESSED = re.compile(rf"^{QUIZ_ANSWER}_\d$")


def enrol(
    ack: Ack,
    respond: Respond,
    client: WebClient,
    deskmate: Deskmate,
    logger: Logger,
    *,
    supervisor: str,
    text: str,
) -> None:
    refused = auth.refusal(deskmate.settings, supervisor, to="enrol new starters")
    if refused:
        replies.private(ack, refused)
        return
    try:
        request = training.parse_enrol(text)
        training.check_lessons(deskmate.settings)
        calendar = WorkingCalendar.from_settings(deskmate.settings)
        start = training.start_date_for(request, today=deskmate.today(), calendar=calendar)
    except EnrolRefused as refused:
        replies.private(ack, str(refused))
        return
    ack()  # users.info and the database next: answer through the response_url

    def check_and_enrol() -> bool:
        user = look_up(client, request.user_id)
        training.check_starter(request.user_id, user)
        training.enrol(
            deskmate.engine,
            user_id=request.user_id,
            start_date=start,
            tz=(user or {}).get("tz") or None,
            enrolled_by=supervisor,
        )
        return True

    enrolled = replies.checked_and_stored(
        respond,
        logger,
        check_and_enrol,
        refused=EnrolRefused,
        checking="a new starter",
        storing="store an enrolment",
    )
    if enrolled is None:
        return
    first = training.first_working_day(calendar, start)
    replies.tell(
        respond,
        logger,
        f"<@{request.user_id}> is enrolled on the new-starter programme. Lesson 1 of "
        f"{LESSONS} arrives by direct message on {first:%A %-d %B %Y}, then one each working day.",
    )


def show_progress(ack: Ack, deskmate: Deskmate, logger: Logger, *, asker: str, text: str) -> None:
    words = decode_command(text).split()
    if len(words) > 1 or (words and not MENTION.fullmatch(words[0])):
        replies.private(
            ack, "Try `/training progress`, or `/training progress @name` for someone else."
        )
        return
    user_id = MENTION.fullmatch(words[0]).group(1) if words else asker
    yours = user_id == asker
    if not yours:
        refused = auth.refusal(
            deskmate.settings,
            asker,
            to="see someone else's progress",
            instead="`/training progress` shows yours.",
        )
        if refused:
            replies.private(ack, refused)
            return
    try:
        found = training.progress(deskmate.engine, user_id)
    except SQLAlchemyError as error:
        database_failed(logger, "read training progress", error)
        replies.private(ack, replies.SORRY_DATABASE)
        return
    if found is None:
        who = "You aren't" if yours else f"<@{user_id}> isn't"
        replies.private(ack, f"{who} on the new-starter programme.")
        return
    line = describe(found, yours=yours)
    # The progress alone: the whole /training help under it would bury the answer.
    ack(response_type="ephemeral", text=line, blocks=[section(line)])


def training_command(
    ack: Ack,
    body: dict,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    logger: Logger,
) -> None:
    deskmate: Deskmate = context["deskmate"]
    text = (body.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    word = word.lower()
    if word in ("enrol", "enroll"):
        enrol(ack, respond, client, deskmate, logger, supervisor=body["user_id"], text=rest.strip())
    elif word == "progress":
        show_progress(ack, deskmate, logger, asker=body["user_id"], text=rest.strip())
    else:
        replies.private(ack, USAGE)


def answer_quiz(ack: Ack, body: dict, respond: Respond, context: BoltContext, logger: Logger):
    ack()
    deskmate: Deskmate = context["deskmate"]
    pressed = read_answer(body["actions"][0].get("value", ""))
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
        database_failed(logger, "record a quiz answer", error)
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
    app.command("/training")(training_command)
    app.action(_PRESSED)(answer_quiz)
