"""`/training`: enrol a new starter on the ten-week programme (supervisors only) and see
progress. Every reply is private. The lessons themselves are sent by the scheduler's
`starter_lessons` job."""

from __future__ import annotations

from logging import Logger
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot import training as starters
from bot.kudos import MENTION, decode_command
from bot.slack.blocks.answer import Blocks, context, header, section
from bot.training import LESSONS, EnrolRefused, Progress
from handlers import auth, replies
from handlers.kudos import SORRY_CHECK, SlackUnavailable, look_up
from scheduler.clock import WorkingCalendar

if TYPE_CHECKING:  # bot.app imports handlers to register them
    from bot.entry.app import Deskmate

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
        request = starters.parse_enrol(text)
        calendar = WorkingCalendar.from_settings(deskmate.settings)
        start = starters.start_date_for(request, today=deskmate.today(), calendar=calendar)
    except EnrolRefused as refused:
        replies.private(ack, str(refused))
        return
    ack()  # users.info and the database next: answer through the response_url
    try:
        user = look_up(client, request.user_id)
        starters.check_starter(request.user_id, user)
        starters.enrol(
            deskmate.engine,
            user_id=request.user_id,
            start_date=start,
            tz=(user or {}).get("tz") or None,
            enrolled_by=supervisor,
        )
    except EnrolRefused as refused:
        replies.tell(respond, logger, str(refused))
        return
    except SlackUnavailable as error:
        logger.error("Could not check a new starter: %s", error)
        replies.tell(respond, logger, SORRY_CHECK)
        return
    except SQLAlchemyError as error:
        replies.database_failed(logger, "store an enrolment", error)
        replies.tell(respond, logger, replies.SORRY_DATABASE)
        return
    first = starters.first_working_day(calendar, start)
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
        found = starters.progress(deskmate.engine, user_id)
    except SQLAlchemyError as error:
        replies.database_failed(logger, "read training progress", error)
        replies.private(ack, replies.SORRY_DATABASE)
        return
    if found is None:
        who = "You aren't" if yours else f"<@{user_id}> isn't"
        replies.private(ack, f"{who} on the new-starter programme.")
        return
    line = describe(found, yours=yours)
    ack(response_type="ephemeral", text=line, blocks=[section(line), context(USAGE)])


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


def register(app: App) -> None:
    app.command("/training")(training_command)
