"""Learned phrasings with the database taken away under a working app, for real
(tests/db_faults), through the real Bolt app: teaching from /answer's buttons, linking a
knowledge gap and removing a phrasing from a review reminder each get a kind reply, store
nothing and raise nothing, and work once the database is back."""

from __future__ import annotations

import json

from sqlmodel import Session

from bot.phrasings import learn_phrasing, phrasing_key
from bot.slack.blocks import answer as blocks
from bot.store import kb, models
from handlers import replies, reports, reviews
from handlers.phrasings import SORRY_TEACH

from ..handlers import db_down_app
from ..slack_fake import RESPONSE_URL
from .db_down_app import logged_failure, press, told, unhandled
from .kudos_app import SECRET, SUPERVISOR
from .listeners import SPD
from .payloads import choice_body, payload_request, suggestion_body

# The fixtures, under the names the tests ask for.
app, user = db_down_app.app, db_down_app.user

CARER = "benefits-carer-discount"
QUERY = "council tax discount living alone"


def phrasings(engine, article_id: str) -> tuple[str, ...]:
    return {a.id: a.phrasings for a in kb.load_from_db(engine)}[article_id]


def choose(app, fake, action_id: str, block_id: str, value: str, kind: str, **extra) -> None:
    body = choice_body(
        action_id,
        block_id,
        value,
        kind=kind,
        user_id=SUPERVISOR,
        response_url=fake.response_url("card"),
    )
    body.update(extra)
    assert app.dispatch(payload_request(SECRET, body)).status == 200


def test_sharing_a_chosen_article_shares_says_it_could_not_learn_and_learns_once_back(
    app, breakable, engine, slack_api, user, caplog
):
    value = blocks.button_value(CARER, QUERY, teach=True)

    with breakable.unavailable():
        press(app, slack_api, blocks.SHARE, value, user)

    shared, note = slack_api.called(RESPONSE_URL)
    assert shared.body["response_type"] == "in_channel"
    assert note.body["text"] == SORRY_TEACH
    assert logged_failure(caplog, "learn a phrasing")
    assert unhandled(caplog) == []
    assert phrasings(engine, CARER) == ()

    press(app, slack_api, blocks.SHARE, value, user)

    assert told(slack_api)[-1].startswith(f"I've learned that “{QUERY}” can mean")
    assert phrasings(engine, CARER) == (QUERY,)


def test_helpful_on_a_chosen_article_says_try_again_and_learns_nothing(
    app, breakable, engine, slack_api, user, caplog
):
    with breakable.unavailable():
        press(app, slack_api, blocks.HELPFUL, blocks.button_value(CARER, QUERY, teach=True), user)

    assert told(slack_api) == [replies.SORRY_DATABASE]
    assert unhandled(caplog) == []
    assert phrasings(engine, CARER) == ()


def test_linking_a_gap_says_try_again_and_its_menu_still_opens(
    app, breakable, engine, slack_api, caplog
):
    with Session(engine) as session:
        gap = models.SearchLog(user_id="U0CSR00001", query=QUERY, answered=False, latency_ms=1)
        session.add(gap)
        session.commit()
        block_id = f"{reports.GAP_BLOCK}{gap.id}"

    with breakable.unavailable():
        choose(app, slack_api, reports.LINK_GAP, block_id, CARER, "external_select")
        suggestion = suggestion_body(reports.LINK_GAP, block_id, "", user_id=SUPERVISOR)
        response = app.dispatch(payload_request(SECRET, suggestion))

    assert told(slack_api) == [replies.SORRY_DATABASE]
    assert logged_failure(caplog, "link a knowledge gap to an article")
    assert response.status == 200 and json.loads(response.body)["options"]  # titles in order
    assert logged_failure(caplog, "read a knowledge gap's search")
    assert unhandled(caplog) == []
    assert phrasings(engine, CARER) == ()

    choose(app, slack_api, reports.LINK_GAP, block_id, CARER, "external_select")

    assert told(slack_api)[-1].startswith(f"Linked: “{QUERY}” now leads to")
    assert phrasings(engine, CARER) == (QUERY,)


def test_removing_a_phrasing_says_try_again_and_removes_once_back(
    app, breakable, engine, slack_api, caplog
):
    learn_phrasing(engine, article_id=SPD, query="husband left, bill too high")
    block_id = reviews.PHRASINGS_PREFIX + SPD
    key = phrasing_key("husband left, bill too high")
    block = reviews.phrasings_block(SPD, ("husband left, bill too high",))
    message = {"type": "message", "text": "Articles to review", "blocks": [block], "ts": "1.2"}

    with breakable.unavailable():
        choose(app, slack_api, reviews.REMOVE_PHRASING, block_id, key, "overflow", message=message)

    assert told(slack_api) == [replies.SORRY_DATABASE]
    assert logged_failure(caplog, "remove a learned phrasing")
    assert unhandled(caplog) == []
    assert phrasings(engine, SPD) == ("husband left, bill too high",)

    choose(app, slack_api, reviews.REMOVE_PHRASING, block_id, key, "overflow", message=message)

    assert slack_api.called(RESPONSE_URL)[-1].body["replace_original"] is True
    assert phrasings(engine, SPD) == ()
