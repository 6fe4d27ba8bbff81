"""The `/answer` command and its buttons called directly, as in Slack's starter template:
`Mock(Ack)`, `Mock(Respond)` and `Mock(WebClient)` stand in for Slack; the database (SQLite)
and the search index are real."""

from __future__ import annotations

import pytest
from slack_sdk.webhook import WebhookResponse

from bot.slack.blocks import answer as blocks
from bot.slack.blocks import answer_forms as modals
from bot.slack.blocks import base
from bot.store import kb, models
from handlers import answer, replies

from .checks import assert_valid_message, assert_valid_view, elements, shown
from .listeners import SKIP, SPD, acked, press, rows, sent, slack_refusal
from .payloads import RESPONSE_URL, USER, command_body

# -- the command ------------------------------------------------------------------------


def test_the_answer_comes_in_the_acknowledgement(ack, context, engine, logger):
    answer.answer_command(ack, command_body("council tax discount living alone"), context, logger)

    reply = acked(ack)
    assert reply["response_type"] == "ephemeral"
    assert_valid_message(reply["blocks"])
    assert reply["blocks"][0]["text"]["text"] == "Council Tax single person discount"
    assert reply["text"].startswith("Council Tax single person discount: If you are the only")
    [log] = rows(engine, models.SearchLog)
    assert (log.user_id, log.answered, log.result_ids[0]) == (USER, True, SPD)


def test_no_confident_match_offers_the_closest_and_records_the_gap(ack, context, engine, logger):
    answer.answer_command(ack, command_body("bin collection missed"), context, logger)

    reply = acked(ack)
    assert_valid_message(reply["blocks"])
    assert "I couldn't find a confident answer for “bin collection missed”." in reply["text"]
    titles = [b["text"]["text"] for b in elements(reply["blocks"])]
    assert titles and len(titles) <= 3
    [log] = rows(engine, models.SearchLog)
    assert (log.answered, log.query) == (False, "bin collection missed")


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text_gets_usage_help_and_searches_nothing(ack, context, engine, logger, text):
    answer.answer_command(ack, command_body(text), context, logger)

    reply = acked(ack)
    assert reply["response_type"] == "ephemeral"
    assert "/answer council tax discount living alone" in shown(reply["blocks"])
    assert rows(engine, models.SearchLog) == []


def test_over_long_text_is_searched_on_its_first_500_characters(ack, context, engine, logger):
    text = "council tax discount living alone " + "and another thing " * 40

    answer.answer_command(ack, command_body(text), context, logger)

    reply = acked(ack)
    assert_valid_message(reply["blocks"])
    assert "over 500 characters, so I searched on the first 500" in shown(reply["blocks"])
    [log] = rows(engine, models.SearchLog)
    assert len(log.query) == 500


def test_a_database_failure_still_answers(ack, down, context, logger, caplog):
    answer.answer_command(ack, command_body("ctr apply"), context, logger)

    reply = acked(ack)
    assert reply["blocks"][0]["text"]["text"].startswith("Council Tax Reduction")
    assert "search not logged" in caplog.text


def test_a_failing_search_gets_a_friendly_try_again(ack, deskmate, context, logger, caplog):
    class Broken:
        def search(self, *args, **kwargs):
            raise RuntimeError("index gone")

        closest = search

    deskmate.index = Broken()
    answer.answer_command(ack, command_body("ctr apply"), context, logger)

    assert acked(ack) == {
        "response_type": "ephemeral",
        "text": replies.SORRY_SEARCH,
        "blocks": base.notice(replies.SORRY_SEARCH),
    }
    assert "Could not answer" in caplog.text


# -- buttons ----------------------------------------------------------------------------


def test_share_posts_the_card_in_the_channel_credited_to_the_csr(ack, respond, context, logger):
    answer.share(ack, press(blocks.SHARE, SPD), respond, context, logger)

    assert acked(ack) == {}
    [posted] = sent(respond)
    assert (posted["response_type"], posted["replace_original"]) == ("in_channel", False)
    assert_valid_message(posted["blocks"])
    assert posted["blocks"][0]["text"]["text"] == "Council Tax single person discount"
    assert f"Shared by <@{USER}>" in shown(posted["blocks"])


@pytest.mark.parametrize(
    "failure",
    [
        WebhookResponse(url="", status_code=404, body="expired_url", headers={}),
        WebhookResponse(url="", status_code=200, body='{"ok":false,"error":"x"}', headers={}),
        ConnectionRefusedError("no route"),
    ],
    ids=["http-404", "refused", "connection"],
)
def test_a_share_that_fails_is_logged_and_told_to_the_csr(
    ack, respond, context, logger, caplog, failure
):
    ok = respond.return_value
    respond.side_effect = [failure, ok]  # an exception in the list is raised

    answer.share(ack, press(blocks.SHARE, SPD), respond, context, logger)

    shared, apology = sent(respond)
    assert shared["response_type"] == "in_channel"
    assert (apology["response_type"], apology["text"]) == ("ephemeral", replies.SORRY_SHARE)
    assert "Could not share an answer in the channel" in caplog.text


def test_other_matches_lists_the_next_best_without_the_one_shown(ack, respond, context, logger):
    answer.other_matches(
        ack,
        press(blocks.OTHER_MATCHES, SPD, "council tax discount living alone"),
        respond,
        context,
        logger,
    )

    [listed] = sent(respond)
    assert (listed["response_type"], listed["replace_original"]) == ("ephemeral", False)
    assert_valid_message(listed["blocks"])
    values = [blocks.read_value(b["value"]) for b in elements(listed["blocks"])]
    assert values and all(q == "council tax discount living alone" for _, q in values)
    assert SPD not in [article_id for article_id, _ in values]
    assert "benefits-carer-discount" in [article_id for article_id, _ in values]


def test_other_matches_falls_back_to_the_nearest_when_none_is_confident(
    ack, respond, context, logger
):
    answer.other_matches(
        ack, press(blocks.OTHER_MATCHES, SKIP, "skip permit"), respond, context, logger
    )

    [listed] = sent(respond)
    assert_valid_message(listed["blocks"])
    assert elements(listed["blocks"])


def test_a_chosen_article_replaces_the_list_with_its_card(ack, respond, context, logger):
    answer.open_article(ack, press("answer_open_1", SKIP, "skp permt"), respond, context, logger)

    [card] = sent(respond)
    assert (card["response_type"], card["replace_original"]) == ("ephemeral", True)
    assert_valid_message(card["blocks"])
    assert card["blocks"][0]["text"]["text"] == "Skip permit for placing a skip on the road"
    assert "You searched for “skp permt”" in shown(card["blocks"])


def test_a_button_for_an_article_no_longer_there_says_so(ack, respond, context, logger):
    answer.open_article(ack, press(blocks.OPEN, "gone-article", "q"), respond, context, logger)

    [reply] = sent(respond)
    assert reply["text"] == replies.GONE


def test_helpful_is_stored_with_private_thanks(ack, respond, context, engine, logger):
    answer.helpful(ack, press(blocks.HELPFUL, SPD), respond, context, logger)

    [feedback] = rows(engine, models.Feedback)
    assert (feedback.article_id, feedback.user_id, feedback.helpful) == (SPD, USER, True)
    [thanks] = sent(respond)
    assert thanks["response_type"] == "ephemeral"
    assert thanks["text"] == "Thanks, I've noted that “Council Tax single person discount” helped."


def test_helpful_with_the_database_down_says_try_again(ack, respond, down, context, logger):
    answer.helpful(ack, press(blocks.HELPFUL, SPD), respond, context, logger)

    [reply] = sent(respond)
    assert reply["text"] == replies.SORRY_DATABASE


@pytest.mark.parametrize(
    ("listener", "callback_id"),
    [
        (answer.not_helpful, modals.NOT_HELPFUL_VIEW),
        (answer.suggest_edit, modals.SUGGEST_EDIT_VIEW),
    ],
)
def test_not_helpful_and_suggest_an_edit_open_their_modal(
    ack, respond, client, context, logger, listener, callback_id
):
    body = press(blocks.NOT_HELPFUL, SPD)

    listener(ack, body, respond, client, context, logger)

    assert acked(ack) == {}
    client.views_open.assert_called_once()
    kwargs = client.views_open.call_args.kwargs
    assert kwargs["trigger_id"] == body["trigger_id"]
    assert_valid_view(kwargs["view"])
    assert kwargs["view"]["callback_id"] == callback_id
    assert modals.read_metadata(kwargs["view"]) == (SPD, RESPONSE_URL, "1700000000.000200")
    respond.assert_not_called()


def test_a_modal_that_will_not_open_is_logged_and_told(
    ack, respond, client, context, logger, caplog
):
    client.views_open.side_effect = slack_refusal("expired_trigger_id")

    answer.not_helpful(ack, press(blocks.NOT_HELPFUL, SPD), respond, client, context, logger)

    [reply] = sent(respond)
    assert reply["text"] == replies.SORRY_FORM
    assert "views.open" in caplog.text and "expired_trigger_id" in caplog.text


# -- articles that have left the knowledge base, replies that do not arrive -------------


@pytest.mark.parametrize(
    "listener",
    [answer.share, answer.helpful, answer.open_article, answer.not_helpful, answer.suggest_edit],
)
def test_a_button_for_an_article_since_removed_says_so_and_changes_nothing(
    ack, respond, client, context, engine, logger, listener
):
    body = press(blocks.SHARE, "removed-article", "q")
    if listener in (answer.not_helpful, answer.suggest_edit):
        listener(ack, body, respond, client, context, logger)
    else:
        listener(ack, body, respond, context, logger)

    [reply] = sent(respond)
    assert (reply["response_type"], reply["text"]) == ("ephemeral", replies.GONE)
    assert rows(engine, models.Feedback) == []
    client.views_open.assert_not_called()


@pytest.mark.parametrize("listener", [answer.other_matches, answer.open_article])
def test_a_list_or_card_that_cannot_be_shown_is_logged_and_told(
    ack, respond, context, logger, caplog, listener
):
    ok = respond.return_value
    respond.side_effect = [WebhookResponse(url="", status_code=410, body="", headers={}), ok]

    listener(ack, press(blocks.OPEN, SPD, "council tax discount"), respond, context, logger)

    assert sent(respond)[1]["text"] == replies.SORRY_LIST
    assert "HTTP 410" in caplog.text


def test_a_reply_with_no_response_url_is_logged_not_raised(logger, caplog):
    from slack_bolt import Respond

    assert not replies.tell(Respond(response_url=None), logger, "hello")
    assert "no response_url" in caplog.text


def test_an_absurd_response_url_is_dropped_from_the_modal_not_the_feedback():
    private = modals.metadata(SPD, "https://hooks.slack.com/" + "x" * 3_000)

    assert len(private) <= modals.METADATA_CHARS
    assert modals.read_metadata({"private_metadata": private}) == (SPD, None, None)


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("skip &amp; scaffold permit", "skip & scaffold permit"),
        ("&lt;urgent&gt; ctr apply", "<urgent> ctr apply"),
        ("kudos for <@U123ABC|sam> re spd", "kudos for  sam  re spd"),
        ("see <#C123ABC|calls> re hmo", "see  calls  re hmo"),
        ("<!channel> ctr apply", "  ctr apply"),
        ("ctr apply", "ctr apply"),
    ],
)
def test_slash_command_text_is_read_as_typed(sent, typed):
    assert answer.typed_text(sent) == typed


def test_an_escaped_query_is_searched_as_typed(ack, context, logger):
    answer.answer_command(ack, command_body("council tax &amp; living alone"), context, logger)

    reply = acked(ack)
    assert reply["blocks"][0]["text"]["text"] == "Council Tax single person discount"
    assert "council tax &amp; living alone" in shown(reply["blocks"])  # escaped once, as shown


# -- teaching search a phrasing (more through app.dispatch in test_phrasings_dispatch) ------


class _NothingConfident:
    """The bundled articles, and a search that is confident of none of them."""

    def __init__(self, index) -> None:
        self.articles = index.articles

    def search(self, query, limit=5):
        return []


def test_an_article_opened_when_nothing_was_confident_teaches_search_the_query(
    ack, respond, deskmate, context, engine, logger
):
    kb.import_articles(engine, articles=deskmate.index.articles)
    deskmate.index = _NothingConfident(deskmate.index)
    answer.open_article(
        ack, press("answer_open_1", SKIP, "skp permt outside no 4"), respond, context, logger
    )
    [card] = sent(respond)
    helpful = [b for b in elements(card["blocks"]) if b["action_id"] == blocks.HELPFUL][0]
    assert blocks.read_teaching(helpful["value"]) == (SKIP, "skp permt outside no 4", True)

    answer.helpful(
        ack, press(blocks.HELPFUL, SKIP) | {"actions": [helpful]}, respond, context, logger
    )

    [_, thanks] = sent(respond)
    skip = "Skip permit for placing a skip on the road"
    assert thanks["text"].endswith(f"I've learned that “skp permt outside no 4” can mean “{skip}”.")
    assert {a.id: a.phrasings for a in kb.load_from_db(engine)}[SKIP] == ("skp permt outside no 4",)
