"""Block Kit for `/kudos`, as pure functions: the public shout-out, the recipients' DMs, the
giver's replies, the form, the leaderboard, "mine", the Home tab section and the weekly
digest.

A kudos message is shown with its real user mentions live and everything else escaped, so
`<!here>`, `<!channel>` and user groups show as text and never ping anyone. User text
goes in `verbatim` text objects, so Slack does not turn bare names or links into pings.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from bot.kudos import Given
from bot.kudos_praise import CUSTOMER
from bot.kudos_report import Digest, Leaderboard, Standing, Totals
from bot.kudos_text import MAX_MESSAGE_CHARS, MAX_RECIPIENTS, MENTION, value_tag
from bot.slack.blocks.base import (
    FALLBACK_CHARS,
    MESSAGE_BLOCKS,
    SECTION_CHARS,
    Blocks,
    context,
    escape,
    fit,
    header,
    section,
)

KUDOS_VIEW = "kudos_give_view"
RECIPIENTS, VALUE, MESSAGE = "recipients", "value", "message"  # the form's block ids
PICK = "pick"  # action id of each input in the form
PERIOD_NAMES = {"week": "this week", "month": "this month", "all": "all time"}
METADATA_CHARS = 3_000

USAGE = (
    "Recognise a colleague: `/kudos @alex for staying calm with a distressed caller`. "
    "Name one or more people, say what they did, and add a value at the end if you like, "
    "such as {tag}. `/kudos` on its own opens a form.\n"
    "`/kudos mine` shows the kudos you have received; "
    "`/kudos leaderboard [week|month|all]` who received and gave the most."
)


def usage(values: Sequence[str]) -> str:
    return USAGE.format(tag=f"`{value_tag(values[0])}`" if values else "`#teamwork`")


def message_text(message: str) -> str:
    """A stored kudos message as mrkdwn: `<@U…>` mentions live, all else escaped."""
    parts, position = [], 0
    for mention in MENTION.finditer(message):
        parts.append(escape(message[position : mention.start()]))
        parts.append(mention.group(0))
        position = mention.end()
    parts.append(escape(message[position:]))
    return "".join(parts)


def fit_mrkdwn(text: str, limit: int) -> str:
    """`fit`, never cutting through a `<@U…>` mention either."""
    cut = fit(text, limit)
    if cut == text:
        return text
    opened = cut.rfind("<")
    if opened > cut.rfind(">"):
        cut = cut[:opened].rstrip() + "…"
    return cut


def quoted(message: str, limit: int = SECTION_CHARS) -> str:
    lines = message_text(message.strip()).splitlines() or [""]
    return fit_mrkdwn("\n".join(f">{line}" for line in lines), limit)


def plain(text: str, names: dict[str, str]) -> str:
    """A refusal (mrkdwn) as the plain text a form's error shows: people by name."""
    text = MENTION.sub(lambda m: "@" + names.get(m.group(1), "someone you chose"), text)
    return text.replace("`", "")


def person(user_id: str) -> str:
    """A person as Slack shows them (<@A>); a customer's praise (bot.kudos_praise) is from
    "a customer"."""
    return "a customer" if user_id == CUSTOMER else f"<@{user_id}>"


def people(user_ids: Sequence[str]) -> str:
    """<@A>, <@B> and <@C>"""
    names = [person(user_id) for user_id in user_ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def channel_ref(channel: str) -> str:
    if channel.startswith("#"):
        return escape(channel)
    return f"<#{channel}>"


def _byline(given: Given) -> str:
    line = f"From {person(given.giver_id)}"
    if given.from_supervisor:
        line = f":star: From a supervisor, <@{given.giver_id}>"
    if given.value:
        line += f"  ·  Value: *{escape(given.value)}*"
    return line


def shout_out(given: Given) -> tuple[str, Blocks]:
    """(fallback text, blocks) for the public post in the kudos channel."""
    title = f":tada: *Kudos to {people(given.recipients)}!*"
    if given.from_supervisor:
        title = f":star: *Supervisor kudos to {people(given.recipients)}!*"
    text = f"Kudos to {people(given.recipients)} from {person(given.giver_id)}: "
    return (
        fit_mrkdwn(text + message_text(given.message), FALLBACK_CHARS),
        [
            section(title),
            section(quoted(given.message), verbatim=True),
            context(_byline(given)),
        ],
    )


def direct_message(given: Given, *, posted_in: str) -> tuple[str, Blocks]:
    """(fallback text, blocks) for each recipient's DM."""
    who = "a supervisor, " if given.from_supervisor else ""
    intro = f":tada: You've received kudos from {who}{person(given.giver_id)}!"
    return (
        fit(f"You've received kudos from {person(given.giver_id)}", FALLBACK_CHARS),
        [
            section(intro),
            section(quoted(given.message), verbatim=True),
            context(f"Everyone can see it in {channel_ref(posted_in)}."),
        ],
    )


# Why a kudos cannot be posted, in the giver's terms, for each of Slack's refusals for good
# (bot.slack.posting.PERMANENT); any other is Deskmate's access to Slack as a whole.
WHY_NOT = {
    "not_in_channel": "Deskmate isn't a member of {channel}",
    "channel_not_found": "Slack can't find {channel}, or won't let Deskmate see it",
    "is_archived": "{channel} has been archived",
    "restricted_action": "Deskmate isn't allowed to post in {channel}",
    "missing_scope": "Deskmate hasn't been given permission to post there",
}
WHY_NOT_ACCESS = "Slack has stopped accepting Deskmate's messages"


def stopped(given: Given, code: str) -> str:
    """What the giver is told when Slack refused their kudos' post for good."""
    why = WHY_NOT.get(code, WHY_NOT_ACCESS).format(channel=channel_ref(given.channel))
    return (
        f"Your kudos for {people(given.recipients)} is saved, but I can't post it: {why}. "
        "Trying again won't help until your Deskmate admin has fixed that, so please let "
        "them know; it will be posted once they have."
    )


STILL_CHECKING = (
    "I'm still checking with Slack who that is, so your kudos isn't saved yet. I'll tell you "
    "here as soon as it is; if you hear nothing in a minute, please send it again."
)


def saved(given: Given) -> str:
    """The acknowledgement of a typed kudos, once it is stored (and before it is posted)."""
    return (
        f"Thanks! Your kudos for {people(given.recipients)} is saved, and I'm posting it in "
        f"{channel_ref(given.channel)} now."
    )


def confirmation(given: Given, *, posted: bool, stopped_by: str | None = None) -> str:
    """What the giver is told, privately, once the kudos is stored and its post tried:
    `stopped_by` is Slack's error when it refused the post for good."""
    who = people(given.recipients)
    if posted:
        return f"Thanks! Your kudos for {who} is posted in {channel_ref(given.channel)}."
    if stopped_by:
        return "Thanks! " + stopped(given, stopped_by)
    return (
        f"Thanks! Your kudos for {who} is saved. I couldn't post it in "
        f"{channel_ref(given.channel)} just now, so I'll keep trying; nothing is lost."
    )


# -- the form ----------------------------------------------------------------------------


def metadata(channel: str, response_url: str | None) -> str:
    """Where the kudos was asked for, and how to tell the giver how it went."""
    text = json.dumps({"c": channel, "u": response_url}, separators=(",", ":"))
    if len(text) > METADATA_CHARS:
        text = json.dumps({"c": channel, "u": None}, separators=(",", ":"))
    return text


def read_metadata(view: dict) -> tuple[str, str | None]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        data = {}
    return data.get("c") or "", data.get("u")


def kudos_view(values: Sequence[str], *, private: str) -> dict:
    options = [
        {"text": {"type": "plain_text", "text": value}, "value": value} for value in values[:100]
    ]
    return {
        "type": "modal",
        "callback_id": KUDOS_VIEW,
        "private_metadata": private,
        "title": {"type": "plain_text", "text": "Give kudos"},
        "submit": {"type": "plain_text", "text": "Give kudos"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": RECIPIENTS,
                "label": {"type": "plain_text", "text": "Who is it for?"},
                "element": {
                    "type": "multi_users_select",
                    "action_id": PICK,
                    "max_selected_items": MAX_RECIPIENTS,
                    "placeholder": {"type": "plain_text", "text": "Choose colleagues"},
                },
            },
            {
                "type": "input",
                "block_id": VALUE,
                "optional": True,
                "label": {"type": "plain_text", "text": "Which value did they show?"},
                "element": {
                    "type": "static_select",
                    "action_id": PICK,
                    "options": options,
                    "placeholder": {"type": "plain_text", "text": "Choose a value"},
                },
            },
            {
                "type": "input",
                "block_id": MESSAGE,
                "label": {"type": "plain_text", "text": "What did they do?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": PICK,
                    "multiline": True,
                    "max_length": MAX_MESSAGE_CHARS,
                    "placeholder": {
                        "type": "plain_text",
                        "text": "For example: stayed calm and kind with a distressed caller",
                    },
                },
            },
        ],
    }


def form_state(view: dict) -> tuple[list[str], str | None, str]:
    """(recipients, value, message) as filled in."""
    values = view.get("state", {}).get("values", {})
    picked = values.get(RECIPIENTS, {}).get(PICK, {}).get("selected_users") or []
    option = values.get(VALUE, {}).get(PICK, {}).get("selected_option") or {}
    message = values.get(MESSAGE, {}).get(PICK, {}).get("value") or ""
    return list(picked), option.get("value"), message


# -- seeing what was given ---------------------------------------------------------------


def _when(moment: dt.datetime, tz: dt.tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%b %Y}"


def _standings(title: str, standings: Sequence[Standing], noun: str) -> str:
    if not standings:
        return f"*{title}*\nNobody yet."
    lines = [f"*{title}*"]
    ranks = [standing.rank for standing in standings]
    for standing in standings:
        tied = "=" if ranks.count(standing.rank) > 1 else ""
        lines.append(
            f"{tied}{standing.rank}. {person(standing.user_id)}  ·  {standing.count} {noun}"
        )
    return "\n".join(lines)


def leaderboard(board: Leaderboard) -> Blocks:
    return [
        header(f"Kudos leaderboard, {PERIOD_NAMES[board.period]}"),
        section(_standings("Received", board.received, "kudos")),
        section(_standings("Given", board.given, "kudos")),
        context("Equal counts share a place (=); within it, whoever got there first is first."),
    ]


def _entry(given: Given, tz: dt.tzinfo) -> Blocks:
    value = f"  ·  *{escape(given.value)}*" if given.value else ""
    return [
        section(quoted(given.message, 2_900), verbatim=True),
        context(f"From {person(given.giver_id)}  ·  {_when(given.created_at, tz)}{value}"),
    ]


def mine(kudos: Sequence[Given], *, tz: dt.tzinfo) -> Blocks:
    if not kudos:
        return [section("You haven't received any kudos yet. They will show here.")]
    blocks: Blocks = [header("Kudos you've received")]
    for given in kudos[: (MESSAGE_BLOCKS - 1) // 2]:
        blocks += _entry(given, tz)
    return blocks


def home_section(totals: Totals, recent: Sequence[Given], *, tz: dt.tzinfo) -> Blocks:
    """The Home tab's kudos: the totals, then the latest few received."""
    blocks: Blocks = [
        header("Your kudos"),
        section(
            f"Received *{totals.week}* this week, *{totals.month}* this month and "
            f"*{totals.all}* in all. You have given *{totals.given}*."
        ),
    ]
    if not recent:
        blocks.append(context("Kudos you receive will show here."))
    for given in recent:
        blocks += _entry(given, tz)
    return blocks


def digest(week: Digest) -> tuple[str, Blocks]:
    """(fallback text, blocks) for the weekly post: kudos by value, thanks to givers."""
    span = f"{week.start.day} {week.start:%B} to {week.end.day} {week.end:%B %Y}"
    if not week.total:
        text = f"No kudos were given from {span}. Who will be first this week?"
        return text, [section(text)]
    blocks: Blocks = [
        header("This week's kudos"),
        section(f"{week.total} kudos from {span}."),
    ]
    room = MESSAGE_BLOCKS - len(blocks) - 1  # one left for the thanks
    for value, kudos in week.groups:
        if room <= 0:
            break
        lines = [f"*{escape(value.capitalize()) if value else 'Other kudos'}*"]
        for given in kudos:
            line = (
                f"• {people(given.recipients)}, from {person(given.giver_id)}: "
                f"{fit_mrkdwn(message_text(given.message), 300)}"
            )
            if len("\n".join([*lines, line])) > SECTION_CHARS - 20:
                lines.append(f"…and {len(kudos) - len(lines) + 1} more")
                break
            lines.append(line)
        blocks.append(section("\n".join(lines), verbatim=True))
        room -= 1
    givers = people([giver for giver, _ in week.givers])
    thanks = fit_mrkdwn(f":pray: Thank you to everyone who gave kudos: {givers}.", 2_900)
    blocks.append(context(thanks))
    return fit(f"This week's kudos: {week.total} from {span}.", FALLBACK_CHARS), blocks
