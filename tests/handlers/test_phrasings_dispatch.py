"""CSRs teach search as they use it, through the real Bolt app: a CSR who opens Other matches
(or the closest titles when nothing was confident) and shares or marks Helpful an article
search did not put first teaches search their query as a phrasing of that article, without
the caller's details. The first answer teaches nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from bot.config.settings import Settings
from bot.slack.blocks import answer as blocks
from bot.slack.blocks import base
from bot.store import kb
from handlers import replies
from knowledge.search import SearchIndex

from ..apps import SECRET, signed_app
from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_message, elements, shown
from .payloads import action_body, command_body, command_request, payload_request

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
# A caller's wording search is unsure of: it may answer (a CSR may well mean another
# article) or offer the closest titles; either way the CSR chooses.
QUERY = "paying too much council tax since husband left"
ANSWERED = "council tax discount living alone"  # search answers this one (test_dispatch)


@pytest.fixture
def app(engine, slack_api):
    """Over the bundled knowledge base (seeded on start)."""
    return signed_app(
        Settings(), slack_api, engine=engine, process_before_response=True, clock=lambda: NOW
    )


@pytest.fixture
def user() -> str:
    return "U" + uuid.uuid4().hex[:9].upper()


def answer(app, fake, text: str, user: str) -> list[dict]:
    body = command_body(text, user_id=user, response_url=fake.response_url("command"))
    response = app.dispatch(command_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body)["blocks"]


def click(app, fake, user: str, button: dict) -> list[dict]:
    """Press a button from a message; what came back through its response URL."""
    name = uuid.uuid4().hex
    body = action_body(
        button["action_id"], button["value"], user_id=user, response_url=fake.response_url(name)
    )
    response = app.dispatch(payload_request(SECRET, body))
    assert (response.status, response.body) == (200, "")
    return [call.body for call in fake.called(RESPONSE_URL) if call.path.endswith(name)]


def button(message_blocks: list[dict], action_id: str) -> dict:
    [found] = [b for b in elements(message_blocks) if b["action_id"] == action_id]
    return found


def top_and_chosen(app, fake, user: str, query: str = QUERY) -> tuple[str | None, list[dict]]:
    """Search, then choose another article than search's answer: the first listed under
    Other matches, or the first of the closest titles when nothing was confident. (The
    first answer's id or None, the chosen article's card.)"""
    card = answer(app, fake, query, user)
    if any(b["action_id"] == blocks.SHARE for b in elements(card)):
        first = blocks.read_value(button(card, blocks.SHARE)["value"])[0]
        [listed] = click(app, fake, user, button(card, blocks.OTHER_MATCHES))
        assert_valid_message(listed["blocks"])
        offered = elements(listed["blocks"])
    else:
        first, offered = None, elements(card)  # answer_open_0, answer_open_1, ...
    [chosen] = click(app, fake, user, offered[0])
    assert chosen["replace_original"] is True
    assert_valid_message(chosen["blocks"])
    return first, chosen["blocks"]


def phrasings_of(engine, article_id: str) -> tuple[str, ...]:
    return {a.id: a.phrasings for a in kb.load_from_db(engine)}[article_id]


def taught(engine) -> dict[str, tuple[str, ...]]:
    """The articles with phrasings, and theirs."""
    return {a.id: a.phrasings for a in kb.load_from_db(engine) if a.phrasings}


def id_of(card: list[dict]) -> str:
    return blocks.read_value(button(card, blocks.HELPFUL)["value"])[0]


def test_helpful_on_an_article_chosen_from_other_matches_teaches_search_the_query(
    app, engine, slack_api, user
):
    first, card = top_and_chosen(app, slack_api, user)
    chosen = id_of(card)
    assert chosen != first
    version = kb.knowledge_version(engine)

    [thanks] = click(app, slack_api, user, button(card, blocks.HELPFUL))

    title = {a.id: a.title for a in kb.load_from_db(engine)}[chosen]
    assert thanks["text"] == (
        f"Thanks, I've noted that “{title}” helped. I've learned that “{QUERY}” can mean “{title}”."
    )
    assert taught(engine) == {chosen: (QUERY,)}
    assert kb.knowledge_version(engine) == version + 1  # every instance rebuilds its index
    # Pressed again (or the same press reaching another instance): learned once.
    click(app, slack_api, user, button(card, blocks.HELPFUL))
    assert phrasings_of(engine, chosen) == (QUERY,)
    assert kb.knowledge_version(engine) == version + 1


def test_once_taught_search_puts_the_chosen_article_first(app, engine, slack_api, user):
    """Needs search to read `Article.phrasings` as a field of its own (the search side of
    the same change, in knowledge/search.py)."""
    first, card = top_and_chosen(app, slack_api, user)
    click(app, slack_api, user, button(card, blocks.HELPFUL))

    hits = SearchIndex(kb.load_from_db(engine)).search(QUERY)

    assert hits and hits[0].article.id == id_of(card) != first


def test_sharing_an_article_chosen_over_the_first_teaches_search_too(app, engine, slack_api, user):
    _, card = top_and_chosen(app, slack_api, user)

    shared, note = click(app, slack_api, user, button(card, blocks.SHARE))

    assert shared["response_type"] == "in_channel"
    assert QUERY not in json.dumps(shared)  # the channel never sees the caller's words
    assert (note["response_type"], note["replace_original"]) == ("ephemeral", False)
    assert note["text"].startswith(f"I've learned that “{QUERY}” can mean “")
    assert phrasings_of(engine, id_of(card)) == (QUERY,)


def test_the_first_answer_teaches_nothing_even_reopened_from_a_list(app, engine, slack_api, user):
    card = answer(app, slack_api, ANSWERED, user)
    first = id_of(card)
    [thanks] = click(app, slack_api, user, button(card, blocks.HELPFUL))
    assert "learned" not in thanks["text"]
    # Other matches from the second article's card lists the first again: it is still
    # what search puts first, so choosing it says nothing new.
    _, second = top_and_chosen(app, slack_api, user, ANSWERED)
    [listed] = click(app, slack_api, user, button(second, blocks.OTHER_MATCHES))
    [again] = [b for b in elements(listed["blocks"]) if blocks.read_value(b["value"])[0] == first]
    [reopened] = click(app, slack_api, user, again)
    version = kb.knowledge_version(engine)

    shared = click(app, slack_api, user, button(reopened["blocks"], blocks.SHARE))

    assert len(shared) == 1  # the post only, no note
    assert phrasings_of(engine, first) == ()
    assert kb.knowledge_version(engine) == version
    for pressed in (button(card, blocks.SHARE), button(card, blocks.HELPFUL)):
        assert blocks.read_teaching(pressed["value"]) == (first, None, False)


def test_a_phrasing_never_holds_the_callers_email_phone_or_postcode(app, engine, slack_api, user):
    details = "jo.bloggs@example.com 07700 900123 SW1A 1AA"
    _, card = top_and_chosen(app, slack_api, user, f"{QUERY} {details}")

    [thanks] = click(app, slack_api, user, button(card, blocks.HELPFUL))

    assert phrasings_of(engine, id_of(card)) == (QUERY,)
    for detail in ("jo.bloggs", "example.com", "07700", "900123", "SW1A", "1AA"):
        assert detail not in thanks["text"]
    exported = json.dumps([a.phrasings for a in kb.load_from_db(engine)])
    assert "@" not in exported and "900123" not in exported and "SW1A" not in exported


def test_a_teaching_button_for_an_article_since_removed_says_so_and_learns_nothing(
    app, engine, slack_api, user
):
    value = blocks.button_value("removed-article", QUERY, teach=True)
    version = kb.knowledge_version(engine)

    for action_id in (blocks.HELPFUL, blocks.SHARE):
        [reply] = click(app, slack_api, user, {"action_id": action_id, "value": value})
        assert reply["text"] == replies.GONE

    assert kb.knowledge_version(engine) == version
    assert all(a.phrasings == () for a in kb.load_from_db(engine))


def test_the_cards_stay_within_block_kit_limits_with_a_long_query(app, slack_api, user):
    long = QUERY + " and " + "also the " * 50  # within /answer's 500 characters
    _, card = top_and_chosen(app, slack_api, user, long[:500])

    assert "You searched for" in shown(card)
    for pressed in (button(card, blocks.SHARE), button(card, blocks.HELPFUL)):
        assert len(pressed["value"]) <= base.VALUE_CHARS
        assert blocks.read_teaching(pressed["value"])[2] is True
