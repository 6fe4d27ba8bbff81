"""What `/kudos` was given as text: the command as Slack delivers it read into a draft
(who it is for, as mentions like `<@U123>`; why; a `#value` tag), and the rules a draft must
meet before Slack or the database is asked anything. Pure text, so every form of typing is
tested without either. Storing and posting are bot.kudos, which imports this (never the
other way round)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_WORDS = 3
MAX_MESSAGE_CHARS = 1_000
MAX_RECIPIENTS = 10

# Recipients, message and value, for the refusal to point at (the modal's block ids).
RECIPIENTS, MESSAGE, VALUE = "recipients", "message", "value"

_TOKEN = re.compile(r"<([^<>]*)>")
_USER_TOKEN = re.compile(r"@([UW][A-Z0-9]+)(?:\|[^<>]*)?")
_GROUP_TOKEN = re.compile(r"!subteam\^[A-Z0-9]+(?:\|([^<>]*))?")
MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")
_LEADING = re.compile(r"^\s*((?:<@[UW][A-Z0-9]+>(?:\s*(?:,|&|\band\b)\s*|\s+|$))+)", re.I)
_TAGS = re.compile(r"(?:\s+#[\w-]+)+\s*$")
_WORD = re.compile(r"[^\W_]+")


class KudosRefused(ValueError):
    """A rule said no. The message is for the giver (mrkdwn, user text already escaped);
    `field` is what it is about (RECIPIENTS, MESSAGE or VALUE)."""

    def __init__(self, message: str, field: str = MESSAGE) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Draft:
    """A kudos as given, before the checks that need Slack or the database."""

    recipients: tuple[str, ...]
    message: str
    value: str | None = None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _shorter(text: str, limit: int = 40) -> str:
    """Enough of what was typed to recognise it in a refusal, however long it was."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- reading what was typed ----------------------------------------------------------------


def decode_command(text: str) -> str:
    """Slash-command text (Slack escapes `&`, `<`, `>` and sends mentions as `<@U1|name>`)
    as the giver typed it, with user mentions as `<@U1>` and user groups as their name
    (`@revenues`). Anything else in angle brackets (`<!here>`, links) stays as literal
    text, to be escaped when shown."""
    parts, position = [], 0
    for token in _TOKEN.finditer(text):
        parts.append(html.unescape(text[position : token.start()]))
        user = _USER_TOKEN.fullmatch(token.group(1))
        group = _GROUP_TOKEN.fullmatch(token.group(1))
        if user:
            parts.append(f"<@{user.group(1)}>")
        elif group:
            # A user group is thanked by its name, as plain text: it pings nobody, and the
            # raw token would show as `<!subteam^S…|@revenues>`.
            parts.append("@" + html.unescape(group.group(1) or "group").lstrip("@"))
        else:
            parts.append(f"<{html.unescape(token.group(1))}>")
        position = token.end()
    parts.append(html.unescape(text[position:]))
    return "".join(parts)


def value_tag(value: str) -> str:
    """`customer insight` is tagged `#customer-insight`."""
    return "#" + re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def find_value(tag: str, values: Sequence[str]) -> str | None:
    """The value a `#tag` names: its whole name, or its first word when no other value
    starts with that word (`#timeliness`), in any case, with or without dashes."""
    wanted = re.sub(r"[^a-z0-9]", "", tag.lower())
    for value in values:
        if re.sub(r"[^a-z0-9]", "", value.lower()) == wanted:
            return value
    firsts = [v for v in values if re.sub(r"[^a-z0-9]", "", v.lower().split()[0]) == wanted]
    return firsts[0] if len(firsts) == 1 else None


def parse_command(text: str, *, values: Sequence[str]) -> Draft:
    """`<@U1|alex> <@U2|sam> for staying calm #culture` as Slack sends it, read into a
    draft. Who it is for comes first; value tags, if any, come last."""
    text = decode_command(text).strip()
    leading = _LEADING.match(text)
    if not leading:
        raise KudosRefused(
            "Start with who the kudos is for, then why, for example: "
            "`/kudos @alex for staying calm with a distressed caller`.",
            RECIPIENTS,
        )
    recipients = tuple(dict.fromkeys(MENTION.findall(leading.group(1))))
    message = text[leading.end() :].strip()
    value = None
    tags = _TAGS.search(" " + message)
    if tags:
        found = {}
        for tag in tags.group(0).split():
            named = find_value(tag, values)
            if named is None:
                known = ", ".join(f"`{value_tag(v)}`" for v in values)
                raise KudosRefused(
                    f"I don't know the value `{_escape(_shorter(tag))}`. Use one of {known}, "
                    "or leave it out.",
                    VALUE,
                )
            found[named] = tag
        if len(found) > 1:
            raise KudosRefused("Please tag one value per kudos.", VALUE)
        value = next(iter(found))
        message = (" " + message)[: tags.start()].strip()
    return Draft(recipients=recipients, message=message, value=value)


def check_draft(draft: Draft, *, giver_id: str, values: Sequence[str]) -> Draft:
    """The rules that need neither Slack nor the database; returns the draft tidied."""
    recipients = tuple(dict.fromkeys(draft.recipients))
    if not recipients:
        raise KudosRefused("Who is the kudos for? Name at least one person.", RECIPIENTS)
    if giver_id in recipients:
        raise KudosRefused(
            "Kudos are for recognising colleagues, so you can't give one to yourself.",
            RECIPIENTS,
        )
    if len(recipients) > MAX_RECIPIENTS:
        raise KudosRefused(
            f"One kudos can thank up to {MAX_RECIPIENTS} people; please split it up.", RECIPIENTS
        )
    # PostgreSQL cannot store a NUL in text, and nobody means one.
    message = draft.message.replace("\x00", "").strip()
    if len(message) > MAX_MESSAGE_CHARS:
        raise KudosRefused(
            f"Please keep the message to {MAX_MESSAGE_CHARS:,} characters "
            f"(it is {len(message):,}).",
            MESSAGE,
        )
    if len(_WORD.findall(MENTION.sub(" ", message))) < MIN_WORDS:
        raise KudosRefused(
            f"Please say what they did, in at least {MIN_WORDS} words, so the kudos means "
            "something to them.",
            MESSAGE,
        )
    if draft.value is not None and draft.value not in values:
        raise KudosRefused("Please choose one of the values in the list.", VALUE)
    return Draft(recipients=recipients, message=message, value=draft.value)
