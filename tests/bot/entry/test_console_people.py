"""The console behaves like Slack: people come from a small directory (@sam, @alex ...) and
have names everywhere, in every session; forms pick only those people; `quit` in a form
closes it; one opinion per person per answer card; emoji as emoji."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from bot.config.settings import load_settings
from bot.entry.console import run_console
from bot.store import db, kb, models


@pytest.fixture
def settings(write_config):
    return load_settings(
        write_config("database:\n  url: sqlite:///test.db\nsupervisors: [U0CONSOLE]\n")
    )


@pytest.fixture
def console(settings):
    def run(*lines: str) -> str:
        out = io.StringIO()
        stdin = io.StringIO("".join(f"{line}\n" for line in lines))
        assert run_console(settings, stdin=stdin, stdout=out) == 0
        return out.getvalue()

    return run


def _rows(settings, table):
    engine = kb.open_database(settings)
    with db.session(engine) as session:
        rows = session.exec(select(table)).all()
        session.expunge_all()
    engine.dispose()
    return rows


def test_helpful_then_not_helpful_on_one_card_keeps_the_last_opinion(console, settings):
    console("/answer council tax discount living alone", "3", "4", "Out of date")

    (feedback,) = _rows(settings, models.Feedback)
    assert (feedback.helpful, feedback.reason) == (False, "Out of date")
    console("/answer council tax discount living alone", "3")  # a new card: a new opinion
    assert sorted(row.helpful for row in _rows(settings, models.Feedback)) == [False, True]


@pytest.mark.parametrize("typed", ["@", "/kudos", "@bob", "sam, nobody"])
def test_who_is_it_for_accepts_only_people_in_the_directory(console, settings, typed):
    out = console("/kudos", typed, "@sam", "", "for a lovely clear explanation")

    assert "here.\n  Choose from @sam, @alex, @priya, @jo, @chris (or type cancel).\n" in out
    [recipient] = _rows(settings, models.KudosRecipient)
    assert recipient.user_id == "U0SAM"


def test_quit_in_a_form_closes_it_and_leaves(console, settings):
    out = console("/kudos", "quit", "/answer council tax discount living alone")

    assert (
        "Who is it for? (names, such as @sam @alex): quit\n(form closed; nothing was sent)" in out
    )
    assert out.rstrip().endswith("(form closed; nothing was sent)")  # nothing after it ran
    assert _rows(settings, models.Kudos) == []
    assert _rows(settings, models.SearchLog) == []


def test_names_not_made_up_ids_in_the_next_session_too(console):
    console("/kudos @sam @priya for staying calm with a distressed caller")

    out = console("/kudos leaderboard")

    board = out.split("Received", 1)[1]
    assert "@sam  ·  1 kudos" in board and "@priya  ·  1 kudos" in board
    assert "@U0" not in out


def test_a_name_nobody_has_is_said_and_sent_as_plain_text(console, settings):
    out = console("/kudos @bob for staying calm with a distressed caller")

    assert "(nobody here is called @bob; people you can name: @sam, @alex, @priya" in out
    assert _rows(settings, models.Kudos) == []


def test_emoji_are_shown_as_emoji(console):
    out = console("/kudos @sam for staying calm with a distressed caller")

    assert "⭐ Supervisor kudos to @sam!" in out
    assert ":star:" not in out and ":tada:" not in out


def test_training_progress_of_someone_shows_just_that(console):
    out = console("/training enrol @sam", "/training progress @sam")

    progress = out.split("> /training progress @sam\n", 1)[1]
    assert "@sam starts the new-starter programme on" in progress
    assert "/training enrol" not in progress
