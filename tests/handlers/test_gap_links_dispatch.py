"""Linking a knowledge gap to the article that answers it, through the real Bolt app: each gap
in `/reports gaps` has a menu whose options Deskmate loads (the articles nearest the gap, or
those matching what the supervisor types); choosing one teaches search the gap's question,
without the caller's details. Only supervisors may; anyone else changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from bot.config.settings import Settings
from bot.redact import redact
from bot.slack.blocks.reports import GAP_BLOCK, GAPS_LISTED, LINK_GAP
from bot.store import kb, models
from handlers import replies

from ..apps import SECRET, signed_app
from ..slack_fake import RESPONSE_URL
from .checks import assert_valid_message, elements
from .payloads import choice_body, command_body, command_request, payload_request, suggestion_body

SUPERVISOR = "U0SUPER001"
REVIEWER = "U0REVIEW01"  # may review articles, but not link gaps
CSR = "U0CSR00001"
BINS = "waste-missed-bin"


@pytest.fixture
def app(engine, slack_api, make_article):
    kb.import_articles(
        engine,
        articles=[
            make_article(1, id=BINS, title="Missed bin collection", keywords=("bins", "refuse")),
            make_article(2, id="licensing-skip", title="Skip permit", keywords=("skip",)),
            make_article(3, id="housing-repairs", title="Report a repair", keywords=("repair",)),
        ],
    )
    return signed_app(
        Settings(supervisors=[SUPERVISOR], reviewers=[REVIEWER]),
        slack_api,
        engine=engine,
        process_before_response=True,
    )


def gap(engine, query: str) -> int:
    """A search that found no confident answer, stored as /answer stores it (redacted)."""
    with Session(engine) as session:
        row = models.SearchLog(user_id=CSR, query=redact(query), answered=False, latency_ms=1.0)
        session.add(row)
        session.commit()
        return row.id


def gaps_report(app, fake) -> dict:
    body = command_body("gaps", user_id=SUPERVISOR, response_url=fake.response_url("command"))
    body["command"] = "/reports"
    response = app.dispatch(command_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body)


def options(app, block_id: str, typed: str = "") -> list[dict]:
    body = suggestion_body(LINK_GAP, block_id, typed, user_id=SUPERVISOR)
    response = app.dispatch(payload_request(SECRET, body))
    assert response.status == 200
    return json.loads(response.body)["options"]


def link(app, fake, block_id: str, article_id: str, user: str = SUPERVISOR) -> str:
    """Choose `article_id` in a gap's menu; what the chooser was told."""
    body = choice_body(
        LINK_GAP,
        block_id,
        article_id,
        kind="external_select",
        user_id=user,
        response_url=fake.response_url("report"),
    )
    response = app.dispatch(payload_request(SECRET, body))
    assert (response.status, response.body) == (200, "")
    [told] = fake.called(RESPONSE_URL)
    assert (told.body["response_type"], told.body["replace_original"]) == ("ephemeral", False)
    return told.body["text"]


def phrasings(engine) -> dict[str, tuple[str, ...]]:
    return {a.id: a.phrasings for a in kb.load_from_db(engine)}


def test_each_gap_has_a_menu_that_offers_the_nearest_articles_first(app, engine, slack_api):
    search_id = gap(engine, "bins not collected at SW1A 1AA")

    report = gaps_report(app, slack_api)

    assert_valid_message(report["blocks"])
    [menu] = elements(report["blocks"], "external_select")
    assert menu["action_id"] == LINK_GAP and menu["min_query_length"] == 0
    [row] = [b for b in report["blocks"] if b.get("accessory") == menu]
    assert row["block_id"] == f"{GAP_BLOCK}{search_id}"
    assert "bins not collected at [postcode]" in row["text"]["text"]
    offered = options(app, row["block_id"])
    assert offered[0] == {
        "text": {"type": "plain_text", "text": "Missed bin collection"},
        "value": BINS,
    }
    assert len(offered) == 3


def test_typing_in_the_menu_finds_titles_from_their_start_and_by_search(app, engine):
    block_id = f"{GAP_BLOCK}{gap(engine, 'something else entirely')}"

    assert [o["value"] for o in options(app, block_id, "Sk")][0] == "licensing-skip"
    assert [o["value"] for o in options(app, block_id, "repiar")][0] == "housing-repairs"


def test_a_supervisor_links_a_gap_and_search_learns_it_without_the_callers_details(
    app, engine, slack_api
):
    search_id = gap(engine, "bins not collected at SW1A 1AA, call 07700 900123")
    version = kb.knowledge_version(engine)

    told = link(app, slack_api, f"{GAP_BLOCK}{search_id}", BINS)

    assert told == "Linked: “bins not collected at, call” now leads to “Missed bin collection”."
    assert phrasings(engine)[BINS] == ("bins not collected at, call",)
    assert kb.knowledge_version(engine) == version + 1


@pytest.mark.parametrize("user", [CSR, REVIEWER])
def test_anyone_but_a_supervisor_is_refused_and_nothing_is_stored(app, engine, slack_api, user):
    search_id = gap(engine, "bins not collected")
    version = kb.knowledge_version(engine)

    told = link(app, slack_api, f"{GAP_BLOCK}{search_id}", BINS, user=user)

    assert told == (
        "Only supervisors can link a knowledge gap to an article. "
        f"Ask <@{SUPERVISOR}>, or an admin to add you to `supervisors:` in app.yaml."
    )
    assert all(found == () for found in phrasings(engine).values())
    assert kb.knowledge_version(engine) == version


@pytest.mark.parametrize(
    ("block_id", "article_id", "says"),
    [
        (f"{GAP_BLOCK}999999", BINS, "That search is no longer in the log (searches are kept"),
        ("not-a-gap", BINS, "That search is no longer in the log"),
        (None, "no-such-article", "That article is no longer in the knowledge base."),
    ],
    ids=["purged", "malformed", "unknown-article"],
)
def test_a_gap_or_article_that_has_gone_is_said_and_nothing_is_stored(
    app, engine, slack_api, block_id, article_id, says
):
    block_id = block_id or f"{GAP_BLOCK}{gap(engine, 'bins not collected')}"
    version = kb.knowledge_version(engine)

    assert link(app, slack_api, block_id, article_id).startswith(says)

    assert all(found == () for found in phrasings(engine).values())
    assert kb.knowledge_version(engine) == version


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("bin?", "“bin?” is too short to link"),
        ("Missed bin collection", "“Missed bin collection” already has “Missed bin collection”"),
        ("jo@example.com", "Once callers' details are taken out, that search has nothing left"),
    ],
    ids=["too-short", "the-title", "only-details"],
)
def test_a_gap_that_would_add_nothing_is_explained(app, engine, slack_api, query, says):
    told = link(app, slack_api, f"{GAP_BLOCK}{gap(engine, query)}", BINS)

    assert told.startswith(says)
    assert phrasings(engine)[BINS] == ()


def test_a_database_that_cannot_be_written_says_sorry_and_the_menu_still_opens(
    app, engine, slack_api, caplog
):
    block_id = f"{GAP_BLOCK}{gap(engine, 'bins not collected')}"
    models.SearchLog.__table__.drop(engine)

    assert link(app, slack_api, block_id, BINS) == replies.SORRY_DATABASE
    assert "Could not link a knowledge gap to an article: the database failed" in caplog.text
    assert [o["value"] for o in options(app, block_id)][0] == "waste-missed-bin"  # by title
    assert phrasings(engine)[BINS] == ()


def test_a_long_gap_report_stays_within_block_kit_limits(app, engine, slack_api):
    for number in range(GAPS_LISTED + 10):
        gap(engine, f"question {number} " + "<&>" * 90)

    report = gaps_report(app, slack_api)

    assert_valid_message(report["blocks"])
    assert len(elements(report["blocks"], "external_select")) == GAPS_LISTED
    assert report["blocks"][-1]["elements"][0]["text"] == "…and 10 more questions"
