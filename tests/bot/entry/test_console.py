"""The local console, driven through its input and output streams: the real Bolt app and
handlers behind it, the local stand-in for Slack in front."""

from __future__ import annotations

import io
import re

import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import select

from bot.config.settings import load_settings
from bot.entry.console import Console, run_console
from bot.entry.local_slack import LocalSlack
from bot.store import db, kb, models

SPD = "benefits-single-person-discount"


@pytest.fixture
def settings(write_config):
    return load_settings(write_config())


@pytest.fixture
def console(settings):
    """Run the console over `lines` (a quit is not added); returns (exit code, output)."""

    def run(*lines: str) -> tuple[int, str]:
        out = io.StringIO()
        code = run_console(
            settings, stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out
        )
        return code, out.getvalue()

    return run


def _rows(settings, table):
    engine = kb.open_database(settings)
    with db.session(engine) as session:
        rows = session.exec(select(table)).all()
        session.expunge_all()
    engine.dispose()
    return rows


def _after(out: str, marker: str) -> str:
    assert marker in out, out
    return out.split(marker, 1)[1]


def test_answer_shows_the_card_and_share_posts_it_in_the_channel(console):
    code, out = console("/answer council tax discount living alone", "1", "quit")

    assert code == 0
    card = _after(out, "> /answer council tax discount living alone")
    assert card.lstrip("\n").startswith("(only you)\n  Council Tax single person discount\n")
    assert "| If you are the only adult" in card  # the script to read out, set apart
    assert "Key facts" in card and "Next step:" in card
    assert "Owner: Revenues team" in card
    assert "[1] Share in channel   [2] Other matches   [3] Helpful   [4] Not helpful" in card
    shared = _after(card, "> 1\n(you pressed Share in channel)\n")
    assert shared.lstrip("\n").startswith("[#general] Deskmate:\n  Council Tax single person")
    assert "Shared by @you" in shared
    assert out.endswith("> quit\n")


def test_the_search_goes_through_the_app_and_is_logged(console, settings):
    console("/answer council tax discount living alone")

    (log,) = _rows(settings, models.SearchLog)
    assert log.user_id == "U0CONSOLE"
    assert log.result_ids[0] == SPD


def test_other_matches_renumbers_the_buttons_and_show_opens_one(console):
    _, out = console("/answer council tax discount living alone", "2", "1")

    listing = _after(out, "(you pressed Other matches)")
    first = re.search(r"\n  (.+)\n  Benefits\n  \[1\] Show", listing)
    assert first, listing
    opened = _after(listing, "(you pressed Show)")
    assert "(in place of the message above)" in opened
    assert f"  {first.group(1)}\n" in opened


def test_not_helpful_asks_why_in_a_form_and_stores_the_answer(console, settings):
    _, out = console("/answer council tax discount living alone", "4", "It is out of date")

    form = _after(out, "(you pressed Not helpful)")
    assert "[Form: Not helpful]" in form
    assert "Why wasn't it helpful? (optional): It is out of date" in form
    assert "(form sent)" in form
    assert "is saved" in _after(form, "(form sent)")
    (feedback,) = _rows(settings, models.Feedback)
    assert (feedback.article_id, feedback.helpful, feedback.reason) == (
        SPD,
        False,
        "It is out of date",
    )


def test_a_required_field_is_asked_again_until_filled(console, settings):
    _, out = console("/answer council tax discount living alone", "5", "", "Say 25% first")

    assert "This one is needed (or type cancel)." in out
    (suggestion,) = _rows(settings, models.EditSuggestion)
    assert suggestion.text == "Say 25% first"


def test_cancel_closes_a_form_and_sends_nothing(console, settings):
    _, out = console("/answer council tax discount living alone", "5", "cancel", "3")

    assert "(form closed; nothing was sent)" in out
    assert _rows(settings, models.EditSuggestion) == []
    # The card's buttons still work after the form is closed.
    assert "(you pressed Helpful)" in out
    assert len(_rows(settings, models.Feedback)) == 1


def test_end_of_input_in_a_form_closes_it_and_the_console(console, settings):
    code, out = console("/answer council tax discount living alone", "5")

    assert code == 0
    assert "(form closed; nothing was sent)" in out
    assert _rows(settings, models.EditSuggestion) == []


def test_commands_still_to_come_are_not_available_yet(console):
    code, out = console("/figures")

    assert code == 0
    assert "/figures is not available yet." in out


def test_training_goes_through_the_app_with_names_escaped_as_slack_does(console):
    code, out = console("/training progress @sam", "/training enrol @sam")

    assert code == 0
    assert "Only supervisors can see someone else's progress." in out
    assert "Only supervisors can enrol new starters." in out


def test_kudos_typed_with_names_is_posted_dmed_and_confirmed(console, settings):
    code, out = console("/kudos @sam @alex for staying calm with a <distressed> caller #culture")

    assert code == 0
    shown = _after(out, "#culture\n")
    assert "[#general] Deskmate:\n  🎉 Kudos to @sam and @alex!\n" in shown
    assert "| for staying calm with a <distressed> caller\n" in shown
    assert shown.count("[direct message to @sam] Deskmate:") == 1
    assert shown.count("[direct message to @alex] Deskmate:") == 1
    assert "(only you)\n  Thanks! Your kudos for @sam and @alex is posted in #general." in shown
    [row] = _rows(settings, models.Kudos)
    assert (row.giver_id, row.value, row.channel) == ("U0CONSOLE", "culture", "C0GENERAL")
    assert sorted(r.user_id for r in _rows(settings, models.KudosRecipient)) == ["U0ALEX", "U0SAM"]


def test_kudos_to_yourself_is_refused_and_nothing_stored(console, settings):
    _, out = console("/kudos @you for being brilliant all day")

    assert "you can't give one to yourself" in out
    assert _rows(settings, models.Kudos) == []


def test_kudos_with_no_text_is_a_form_filled_in_line_by_line(console, settings):
    _, out = console("/kudos", "@you", "1", "ok", "@sam", "for a lovely clear explanation")

    assert "[Form: Give kudos]" in out
    # Each refusal in turn, asking again only for the field it is about.
    refusals = _after(out, "What did they do?: ok\n")
    assert refusals.startswith("  ! Who is it for?: Kudos are for recognising colleagues")
    refusals = _after(refusals, "Who is it for? (names, such as @sam @alex): @sam\n")
    assert refusals.startswith("  ! What did they do?: Please say what they did")
    assert "(only you)\n  Thanks! Your kudos for @sam is posted in #general." in out
    [row] = _rows(settings, models.Kudos)
    assert (row.message, row.value) == ("for a lovely clear explanation", "customer insight")


def test_no_confident_match_and_empty_text_are_shown_plainly(console, settings):
    _, out = console("/answer zzqx vorpal flibbertigibbet", "/answer")

    assert "I couldn't find a confident answer for “zzqx vorpal flibbertigibbet”" in out
    assert "/answer council tax discount living alone" in _after(out, "> /answer\n")
    assert [log.answered for log in _rows(settings, models.SearchLog)] == [False]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["help"], "press that button on the latest message"),
        (["what now"], "Type /answer and what the caller asked"),
        (["1"], "There is no button to press yet"),
        (["/answer ctr apply", "9"], "Choose a button from 1 to 5."),
    ],
)
def test_help_and_mistakes_get_a_friendly_line(console, lines, expected):
    code, out = console(*lines)

    assert code == 0
    assert expected in out


def test_end_of_input_leaves_quietly(console):
    code, out = console()

    assert code == 0
    assert "Deskmate console" in out


# -- the console's own failure paths, with a small Bolt app of the test's own ----------------


def _console(app: App, slack: LocalSlack, secret: str, *lines: str) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    return Console(app, slack, signing_secret=secret, stdin=stdin, stdout=out), out


def _small_app(slack: LocalSlack, secret: str = "s3cret") -> App:
    return App(
        client=WebClient(token="xoxb-x", base_url=slack.api_url),
        signing_secret=secret,
        token_verification_enabled=False,
        process_before_response=True,
    )


def test_a_listener_that_fails_is_reported_not_hidden():
    with LocalSlack() as slack:
        app = _small_app(slack)

        @app.command("/answer")
        def broken(ack: Ack) -> None:
            raise RuntimeError("boom")

        console, out = _console(app, slack, "s3cret", "/answer anything")
        console.run()

    assert "Deskmate could not handle that (error 500)" in out.getvalue()


def test_requests_are_signed_with_the_apps_secret():
    with LocalSlack() as slack:
        app = _small_app(slack, secret="the-real-one")
        app.command("/answer")(lambda ack: ack("fine"))
        console, out = _console(app, slack, "another-one", "/answer anything")
        console.run()

    assert "its signature did not check out (401)" in out.getvalue()
    assert "fine" not in out.getvalue()


def test_form_errors_from_the_app_are_shown_and_only_those_fields_asked_again():
    with LocalSlack() as slack:
        app = _small_app(slack)
        seen = []
        field = {"type": "plain_text_input", "action_id": "text"}
        blocks = [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": field,
            },
            {
                "type": "input",
                "block_id": "age",
                "label": {"type": "plain_text", "text": "Age"},
                "element": field,
            },
        ]

        @app.command("/form")
        def open_form(ack: Ack, body: dict, client: WebClient) -> None:
            ack()
            view = {
                "type": "modal",
                "callback_id": "f",
                "blocks": blocks,
                "title": {"type": "plain_text", "text": "Tell me"},
            }
            client.views_open(trigger_id=body["trigger_id"], view=view)

        @app.view("f")
        def submitted(ack: Ack, view: dict) -> None:
            values = view["state"]["values"]
            seen.append((values["name"]["text"]["value"], values["age"]["text"]["value"]))
            if not values["age"]["text"]["value"].isdigit():
                ack(response_action="errors", errors={"age": "Age must be a number"})
            else:
                ack()

        console, out = _console(app, slack, "s3cret", "/form", "Sam", "old", "42")
        console.run()

    text = out.getvalue()
    assert "[Form: Tell me]" in text
    assert "! Age: Age must be a number" in text
    assert seen == [("Sam", "old"), ("Sam", "42")]
    assert text.count("Name: ") == 1
    assert "(form sent)" in text
