"""Block Kit for App Home: a CSR's recent searches, their kudos and training, or a short
apology when the database cannot be reached."""

from __future__ import annotations

import datetime as dt

from bot.slack.blocks import answer as answer_blocks
from bot.slack.blocks import base
from bot.store import models

RECENT_KUDOS = 5


UNAVAILABLE = "Your searches, kudos and training will show here when you open this tab again."


def home_view(
    searches: list[models.SearchLog],
    *,
    tz: dt.tzinfo,
    kudos: base.Blocks = (),
    training: base.Blocks = (),
) -> dict:
    """The Home tab: what to type, a starter's training, the person's kudos, then their
    latest searches (queries as logged, so already without callers' details)."""
    view = [base.header("Deskmate"), *answer_blocks.usage(), {"type": "divider"}]
    if training:
        view += [*training, {"type": "divider"}]
    if kudos:
        view += [*kudos, {"type": "divider"}]
    view.append(base.header("Your recent searches"))
    if not searches:
        view.append(base.context("Nothing yet: your searches will show here."))
    for search in searches:
        when = search.created_at
        if when.tzinfo is None:  # SQLite gives back naive UTC
            when = when.replace(tzinfo=dt.UTC)
        found = "answered" if search.answered else "no confident match"
        line = f"{base.escape(search.query)}  ·  {found}  ·  {when.astimezone(tz):%d %b %H:%M}"
        view.append(base.context(line, verbatim=True))
    return {"type": "home", "blocks": view}


def unavailable_view(apology: str) -> dict:
    """The Home tab while the database cannot be read: how to use Deskmate, and why the
    person's own things are missing (not "nothing yet", which would mislead)."""
    view = [base.header("Deskmate"), *answer_blocks.usage(), {"type": "divider"}]
    view.append(base.context(f"{apology} {UNAVAILABLE}"))
    return {"type": "home", "blocks": view}
