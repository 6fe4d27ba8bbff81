"""Learned phrasings on the Slack surface: when `/answer`'s buttons teach search a phrasing,
and what each person is told about a phrasing learned, linked or removed (the rules are in
bot.phrasings).

A CSR teaches without being asked to: choosing an article search did not put first, from
Other matches or the closest titles, then sharing it or marking it Helpful, says the query
meant that article. Only a phrasing actually learned is mentioned to them, in one line; a
query that adds nothing is passed over in silence, as they are mid-call.
"""

from __future__ import annotations

from logging import Logger

from sqlalchemy.exc import SQLAlchemyError

from bot import phrasings
from bot.deskmate import Deskmate
from bot.phrasings import Change, Outcome
from bot.redact import without_personal_details
from bot.slack.blocks.answer import read_teaching
from bot.slack.blocks.base import escape
from bot.store.db import database_failed
from knowledge.article import MAX_PHRASING_CHARS
from knowledge.search import SearchIndex

SORRY_TEACH = (
    "I couldn't note this choice for next time: the Deskmate database was out of reach. "
    "Nothing else is affected."
)


def chosen_over_first(index: SearchIndex, article_id: str, query: str | None) -> bool:
    """Whether a CSR opening `article_id` from a list for `query` chose something other
    than search's first confident answer (or there was none): what makes sharing it or
    marking it Helpful worth learning from. Searched as /answer searches, without callers'
    details."""
    if not query:
        return False
    hits = index.search(without_personal_details(query), 1)
    return not hits or hits[0].article.id != article_id


def teach(deskmate: Deskmate, body: dict, logger: Logger) -> str | None:
    """After Share or Helpful: if the pressed button says so, learn its query as a phrasing
    of its article. What to tell the CSR, or None for nothing."""
    article_id, query, teaching = read_teaching(body["actions"][0].get("value", ""))
    if not teaching or query is None:
        return None
    try:
        change = phrasings.learn_phrasing(
            deskmate.engine, article_id=article_id, query=query, now=deskmate.clock()
        )
    except SQLAlchemyError as error:
        database_failed(logger, "learn a phrasing", error)
        return SORRY_TEACH
    if change.outcome is not Outcome.LEARNED:
        return None
    return f"I've learned that “{escape(change.phrasing)}” can mean “{escape(change.title or '')}”."


def linked(change: Change, *, retention_days: int) -> str:
    """What a supervisor is told after linking a knowledge gap to an article."""
    phrasing, title = escape(change.phrasing), escape(change.title or "")
    match change.outcome:
        case Outcome.LEARNED:
            text = f"Linked: “{phrasing}” now leads to “{title}”."
            if change.dropped:
                text += (
                    f" It had {phrasings.MAX_PHRASINGS} phrasings, so the oldest, "
                    f"“{escape(change.dropped)}”, made room."
                )
            return text
        case Outcome.KNOWN:
            return (
                f"“{title}” already has “{phrasing}” as its title, a keyword or a phrasing, "
                "so there was nothing to add."
            )
        case Outcome.EMPTY:
            return "Once callers' details are taken out, that search has nothing left to link."
        case Outcome.TOO_SHORT:
            return (
                f"“{phrasing}” is too short to link: a phrasing needs a word or two that say "
                "what the caller wanted. Add it to the article's keywords if it matters."
            )
        case Outcome.TOO_LONG:
            return (
                f"That search is longer than {MAX_PHRASING_CHARS} characters, too long to "
                "be a phrasing. Add the words that matter to the article's keywords instead."
            )
        case Outcome.NO_SEARCH:
            return (
                f"That search is no longer in the log (searches are kept {retention_days} "
                "days), so there is nothing to link. Run `/reports gaps` again for the list "
                "as it is now."
            )
    return "That article is no longer in the knowledge base. Please choose another."
